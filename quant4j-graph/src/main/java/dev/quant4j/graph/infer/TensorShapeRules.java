package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Operators that rearrange or describe shapes: Shape, Size, Reshape, Flatten, Transpose, (Un)Squeeze, Expand, Concat, Split, Pad, Tile, Constant, ConstantOfShape, Range. */
final class TensorShapeRules {
    private TensorShapeRules() {}

    static void register(ShapeRules r) {
        r.register("Shape", TensorShapeRules::shape);
        r.register("Size", ctx -> {
            ctx.setOutput(0, DataType.INT64, Shape.SCALAR);
            Shape s = ctx.shape(0);
            if (s != null && s.isFullyKnown()) ctx.setConstant(0, Tensor.ofLongs(new long[] {s.elementCount()}));
        });
        r.register("Reshape", TensorShapeRules::reshape);
        r.register("Flatten", TensorShapeRules::flatten);
        r.register("Transpose", TensorShapeRules::transpose);
        r.register("Squeeze", TensorShapeRules::squeeze);
        r.register("Unsqueeze", TensorShapeRules::unsqueeze);
        r.register("Expand", TensorShapeRules::expand);
        r.register("Concat", TensorShapeRules::concat);
        r.register("Constant", TensorShapeRules::constant);
        r.register("ConstantOfShape", TensorShapeRules::constantOfShape);
        r.register("Range", TensorShapeRules::range);
    }

    /** The values of a constant integer input, or null when it is not known. */
    static long[] longs(InferenceContext ctx, int i) {
        Tensor t = ctx.constant(i);
        return Consts.isSmallInt(t) ? t.toLongs() : null;
    }

    /** Axes from the attribute (older opsets) or from input {@code inputIndex} (newer ones). */
    static long[] axes(InferenceContext ctx, int inputIndex) {
        long[] a = ctx.attrs().getInts("axes");
        if (a != null) return a;
        return ctx.hasInput(inputIndex) ? longs(ctx, inputIndex) : null;
    }

    private static void shape(InferenceContext ctx) {
        Shape s = ctx.shape(0);
        if (s == null) { ctx.setOutput(0, DataType.INT64, Shape.unknownDims(1)); return; }
        int r = s.rank();
        long start = ctx.attrs().getInt("start", 0), end = ctx.attrs().getInt("end", r);
        int b = (int) Math.clamp(start < 0 ? start + r : start, 0, r), e = (int) Math.clamp(end < 0 ? end + r : end, 0, r);
        List<Dim> dims = s.dims().subList(b, Math.max(b, e));
        ctx.setOutput(0, DataType.INT64, Shape.of(dims.size()));
        if (dims.stream().allMatch(Dim::isKnown)) ctx.setConstant(0, Tensor.vectorOfLongs(dims.stream().mapToLong(Dim::value).toArray()));
    }

    private static void reshape(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        long[] target = longs(ctx, 1);
        if (target == null) {
            Shape ts = ctx.shape(1);
            ctx.setOutput(0, ctx.dtype(0), ts != null && ts.rank() == 1 && ts.dim(0).isKnown() ? Shape.unknownDims((int) ts.dim(0).value()) : null);
            return;
        }
        boolean allowZero = ctx.attrs().getInt("allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>();
        int inferAt = -1;
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            if (t == -1) {
                if (inferAt >= 0) throw ctx.fail("Reshape target " + Arrays.toString(target) + " has more than one -1");
                inferAt = i;
                out.add(Dim.UNKNOWN);
            } else if (t == 0 && !allowZero) {
                if (in == null) out.add(Dim.UNKNOWN);
                else if (i >= in.rank()) throw ctx.fail("Reshape target " + Arrays.toString(target) + " copies dimension " + i + " of a rank-" + in.rank() + " input");
                else out.add(in.dim(i));
            } else if (t < 0) {
                throw ctx.fail("Reshape target " + Arrays.toString(target) + " has a negative size");
            } else out.add(Dim.of(t));
        }
        long total = in == null ? -1 : in.elementCount();
        if (inferAt >= 0 && total >= 0) {
            long known = 1;
            for (int i = 0; i < out.size(); i++) if (i != inferAt) { if (!out.get(i).isKnown()) { known = -1; break; } known *= out.get(i).value(); }
            if (known > 0) {
                if (total % known != 0) throw ctx.fail("cannot reshape " + in + " to " + Arrays.toString(target));
                out.set(inferAt, Dim.of(total / known));
            } else if (known == 0 && total == 0) out.set(inferAt, Dim.of(0));
        } else if (inferAt < 0 && total >= 0) {
            Shape o = new Shape(out);
            if (o.isFullyKnown() && o.elementCount() != total) throw ctx.fail("cannot reshape " + in + " (" + total + " elements) to " + Arrays.toString(target));
        }
        Shape os = new Shape(out);
        ctx.setOutput(0, ctx.dtype(0), os);
        Tensor c = ctx.constant(0);
        if (Consts.isSmall(c) && os.isFullyKnown()) ctx.setConstant(0, c.reshape(os.toArray()));
    }

    private static void flatten(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        if (in == null) { ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims(2)); return; }
        long axis = ctx.attrs().getInt("axis", 1);
        int a = (int) (axis < 0 ? axis + in.rank() : axis);
        if (a < 0 || a > in.rank()) throw ctx.fail("Flatten axis " + axis + " out of range for rank " + in.rank());
        Dim outer = Dim.of(1), inner = Dim.of(1);
        for (int i = 0; i < in.rank(); i++) if (i < a) outer = Dims.mul(outer, in.dim(i)); else inner = Dims.mul(inner, in.dim(i));
        ctx.setOutput(0, ctx.dtype(0), Shape.of(outer, inner));
    }

    private static void transpose(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        long[] perm = ctx.attrs().getInts("perm");
        if (in == null) { ctx.setOutput(0, ctx.dtype(0), perm == null ? null : Shape.unknownDims(perm.length)); return; }
        int r = in.rank();
        if (perm == null) { perm = new long[r]; for (int i = 0; i < r; i++) perm[i] = r - 1 - i; }
        if (perm.length != r) throw ctx.fail("Transpose perm " + Arrays.toString(perm) + " does not match rank " + r);
        Dim[] out = new Dim[r];
        for (int i = 0; i < r; i++) out[i] = in.dim(Dims.axis(perm[i], r, ctx));
        ctx.setOutput(0, ctx.dtype(0), Shape.of(out));
        Tensor c = ctx.constant(0);
        if (Consts.isSmallInt(c)) {
            long[] src = c.toLongs(), shape = c.shape(), strides = new long[r], o = Shape.of(out).toArray();
            for (int d = r - 1, st = 1; d >= 0; st *= (int) shape[d], d--) strides[d] = st;
            long[] v = new long[src.length], idx = new long[r];
            for (int k = 0; k < v.length; k++) {
                long f = 0;
                for (int d = 0; d < r; d++) f += idx[d] * strides[(int) Dims.axis(perm[d], r, ctx)];
                v[k] = src[(int) f];
                for (int d = r - 1; d >= 0; d--) { if (++idx[d] < o[d]) break; idx[d] = 0; }
            }
            ctx.setConstant(0, Consts.fromLongs(c.dtype(), v, o));
        }
    }

    private static void squeeze(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        long[] axes = axes(ctx, 1);
        if (in == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        List<Dim> out = new ArrayList<>();
        if (axes == null && ctx.hasInput(1)) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        boolean[] drop = new boolean[in.rank()];
        if (axes == null) {
            for (int i = 0; i < in.rank(); i++) {
                if (!in.dim(i).isKnown()) { ctx.setOutput(0, ctx.dtype(0), null); return; }
                drop[i] = in.dim(i).value() == 1;
            }
        } else {
            for (long a : axes) {
                int ax = Dims.axis(a, in.rank(), ctx);
                if (in.dim(ax).isKnown() && in.dim(ax).value() != 1) throw ctx.fail("Squeeze axis " + a + " has size " + in.dim(ax));
                drop[ax] = true;
            }
        }
        for (int i = 0; i < in.rank(); i++) if (!drop[i]) out.add(in.dim(i));
        setReshaped(ctx, new Shape(out));
    }

    private static void unsqueeze(InferenceContext ctx) {
        Shape in = ctx.shape(0);
        long[] axes = axes(ctx, 1);
        if (in == null || axes == null) { ctx.setOutput(0, ctx.dtype(0), null); return; }
        int r = in.rank() + axes.length;
        boolean[] inserted = new boolean[r];
        for (long a : axes) {
            int ax = Dims.axis(a, r, ctx);
            if (inserted[ax]) throw ctx.fail("Unsqueeze axis " + a + " repeated");
            inserted[ax] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0, k = 0; i < r; i++) out.add(inserted[i] ? Dim.of(1) : in.dim(k++));
        setReshaped(ctx, new Shape(out));
    }

    /** Sets a reshaped output and, for a small constant input, its value. */
    private static void setReshaped(InferenceContext ctx, Shape out) {
        ctx.setOutput(0, ctx.dtype(0), out);
        Tensor c = ctx.constant(0);
        if (Consts.isSmall(c) && out.isFullyKnown()) ctx.setConstant(0, c.reshape(out.toArray()));
    }

    private static void expand(InferenceContext ctx) {
        long[] target = longs(ctx, 1);
        if (target == null) {
            Shape ts = ctx.shape(1);
            ctx.setOutput(0, ctx.dtype(0), null);
            if (ts != null && ts.rank() == 1 && ts.dim(0).isKnown() && ctx.shape(0) != null) {
                ctx.setOutput(0, ctx.dtype(0), Shape.unknownDims((int) Math.max(ts.dim(0).value(), ctx.shape(0).rank())));
            }
            return;
        }
        ctx.setOutput(0, ctx.dtype(0), Dims.broadcast(ctx.shape(0), Shape.of(target), ctx));
        Tensor c = ctx.constant(0);
        if (Consts.isSmallInt(c) && Tensor.elementCount(target) <= Consts.LIMIT) {
            ctx.setConstant(0, Consts.broadcast(c, Tensor.zeros(DataType.INT64, target), c.dtype(), (a, b) -> a));
        }
    }

    private static void concat(InferenceContext ctx) {
        long axis = ctx.attrs().getInt("axis", 0);
        ctx.sameType(ctx.allInputs());
        Shape first = null;
        for (int i = 0; i < ctx.inputCount(); i++) if (ctx.shape(i) != null) { first = ctx.shape(i); break; }
        DataType dt = ctx.dtype(0);
        if (first == null) { ctx.setOutput(0, dt, null); return; }
        int r = first.rank();
        int a = Dims.axis(axis, r, ctx);
        Dim[] out = first.dims().toArray(new Dim[0]);
        Dim sum = Dim.of(0);
        for (int i = 0; i < ctx.inputCount(); i++) {
            Shape s = ctx.shape(i);
            if (s == null) { sum = Dim.UNKNOWN; continue; }
            if (s.rank() != r) throw ctx.fail("Concat inputs have ranks " + r + " and " + s.rank());
            sum = Dims.add(sum, s.dim(a));
            for (int d = 0; d < r; d++) if (d != a) out[d] = Dims.unify(out[d], s.dim(d), "Concat dimension " + d, ctx);
        }
        out[a] = sum;
        ctx.setOutput(0, dt, Shape.of(out));
        // Value: concatenate small constant integer inputs along the axis.
        List<long[]> parts = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            Tensor c = ctx.constant(i);
            if (!Consts.isSmallInt(c) || c.dtype() != dt) return;
            parts.add(c.toLongs());
        }
        Shape os = Shape.of(out);
        if (!os.isFullyKnown()) return;
        long outer = 1;
        for (int d = 0; d < a; d++) outer *= os.dim(d).value();
        long[] v = new long[Math.toIntExact(os.elementCount())];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long[] p : parts) {
                int block = (int) (p.length / Math.max(outer, 1));
                System.arraycopy(p, (int) (o * block), v, k, block);
                k += block;
            }
        }
        ctx.setConstant(0, Consts.fromLongs(dt, v, os.toArray()));
    }

    private static void constant(InferenceContext ctx) {
        var at = ctx.attrs();
        Tensor t = at.getTensor("value");
        if (t == null && at.has("value_float")) t = Tensor.scalar(at.getFloat("value_float", 0));
        if (t == null && at.has("value_int")) t = Tensor.scalarLong(at.getInt("value_int", 0));
        if (t == null && at.has("value_floats")) { float[] f = at.getFloats("value_floats"); t = Tensor.of(f, f.length); }
        if (t == null && at.has("value_ints")) t = Tensor.vectorOfLongs(at.getInts("value_ints"));
        if (t != null) ctx.setConstant(0, t);
    }

    private static void constantOfShape(InferenceContext ctx) {
        Tensor value = ctx.attrs().getTensor("value");
        DataType dt = value == null ? DataType.FLOAT32 : value.dtype();
        long[] shape = longs(ctx, 0);
        if (shape == null) {
            Shape s = ctx.shape(0);
            ctx.setOutput(0, dt, s != null && s.rank() == 1 && s.dim(0).isKnown() ? Shape.unknownDims((int) s.dim(0).value()) : null);
            return;
        }
        ctx.setOutput(0, dt, Shape.of(shape));
        if ((dt.isInteger() || dt == DataType.BOOL) && dt.bits() >= 8 && Tensor.elementCount(shape) <= Consts.LIMIT) {
            long v = value == null ? 0 : value.getLong(0);
            long[] vals = new long[Math.toIntExact(Tensor.elementCount(shape))];
            Arrays.fill(vals, v);
            ctx.setConstant(0, Consts.fromLongs(dt, vals, shape));
        }
    }

    private static void range(InferenceContext ctx) {
        DataType dt = ctx.dtype(0);
        Tensor s = ctx.constant(0), l = ctx.constant(1), d = ctx.constant(2);
        if (s == null || l == null || d == null) { ctx.setOutput(0, dt, Shape.unknownDims(1)); return; }
        double start = s.getDouble(0), limit = l.getDouble(0), delta = d.getDouble(0);
        if (delta == 0) throw ctx.fail("Range with delta 0");
        long n = Math.max((long) Math.ceil((limit - start) / delta), 0);
        ctx.setOutput(0, dt, Shape.of(n));
        if (Consts.isSmallInt(s) && n <= Consts.LIMIT) {
            long[] v = new long[(int) n];
            for (int i = 0; i < n; i++) v[i] = s.getLong(0) + i * d.getLong(0);
            ctx.setConstant(0, Consts.fromLongs(dt, v, n));
        }
    }
}
