package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * Operators that make tensors from shapes and masks: ConstantOfShape, Range, EyeLike, OneHot,
 * Trilu, Where, NonZero.
 */
final class GenerateOps {
    private GenerateOps() {}

    static void register(OpRegistry r) {
        r.register("ConstantOfShape", s -> {
            Tensor value = s.attributes().has("value") ? s.attributes().getTensor("value") : Tensors.ofFloats(new float[] {0f}, 1);
            return (in, ctx) -> {
                long[] shape = Tensors.toLongs(in[0]);
                for (long d : shape) if (d < 0) throw new IllegalArgumentException("ConstantOfShape: negative dimension in " + Arrays.toString(shape));
                Object dst = Elements.allocate(value.dtype(), Math.toIntExact(Tensor.elementCount(shape)));
                Elements.fill(dst, Elements.array(value));
                return new Tensor[] {Elements.wrap(value.dtype(), dst, shape)};
            };
        });
        r.register("Range", s -> (in, ctx) -> new Tensor[] {range(in[0], in[1], in[2])});
        r.register("EyeLike", GenerateOps::eyeLike);
        r.register("OneHot", s -> {
            long axis = s.attributes().getInt("axis", -1);
            return (in, ctx) -> new Tensor[] {oneHot(in[0], in[1], in[2], axis)};
        });
        r.register("Trilu", s -> {
            boolean upper = s.attributes().getInt("upper", 1) != 0;
            return (in, ctx) -> new Tensor[] {trilu(in[0], in.length > 1 && in[1] != null ? Tensors.toLongs(in[1])[0] : 0, upper)};
        });
        r.register("Where", s -> (in, ctx) -> new Tensor[] {where(in[0], in[1], in[2])});
        r.register("NonZero", s -> (in, ctx) -> new Tensor[] {nonZero(in[0])});
    }

    static Tensor range(Tensor start, Tensor limit, Tensor delta) {
        DataType d = start.dtype();
        if (d.isFloatingPoint()) {
            if (d != DataType.FLOAT32 && d != DataType.FLOAT64) throw new IllegalArgumentException("Range on " + d + " is not supported");
            double a = start.getDouble(0), b = limit.getDouble(0), st = delta.getDouble(0);
            int n = count(Math.ceil((b - a) / st));
            if (d == DataType.FLOAT32) {
                float[] o = new float[n];
                for (int i = 0; i < n; i++) o[i] = (float) (a + i * st);
                return Tensors.ofFloats(o, n);
            }
            double[] o = new double[n];
            for (int i = 0; i < n; i++) o[i] = a + i * st;
            return Elements.wrap(d, o, n);
        }
        long a = start.getLong(0), b = limit.getLong(0), st = delta.getLong(0);
        if (st == 0) throw new IllegalArgumentException("Range: delta is 0");
        int n = count(Math.ceil((double) (b - a) / st));
        long[] o = new long[n];
        for (int i = 0; i < n; i++) o[i] = a + i * st;
        return Tensors.fromLongs(d, o, n);
    }

    private static int count(double c) {
        if (Double.isNaN(c) || c <= 0) return 0;
        if (c > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("Range: " + c + " elements");
        return (int) c;
    }

    private static Op eyeLike(NodeSetup s) {
        long k = s.attributes().getInt("k", 0);
        DataType attr = s.attributes().has("dtype") ? DataType.fromOnnx((int) s.attributes().getInt("dtype", 1)) : null;
        return (in, ctx) -> {
            long[] shape = in[0].shape();
            if (shape.length != 2) throw new IllegalArgumentException("EyeLike needs a 2-D input, got " + Arrays.toString(shape));
            DataType d = attr != null ? attr : in[0].dtype();
            Tensor one = CastOps.cast(Tensors.ofLongs(new long[] {1}, 1), d);
            Object dst = Elements.allocate(d, Tensors.size(in[0])), v = Elements.array(one);
            for (long i = 0; i < shape[0]; i++) {
                long j = i + k;
                if (j >= 0 && j < shape[1]) System.arraycopy(v, 0, dst, Math.toIntExact(i * shape[1] + j), 1);
            }
            return new Tensor[] {Elements.wrap(d, dst, shape)};
        };
    }

    static Tensor oneHot(Tensor indices, Tensor depthT, Tensor values, long axisAttr) {
        long depth = (long) depthT.getDouble(0);
        if (depth <= 0) throw new IllegalArgumentException("OneHot: depth " + depth);
        long[] is = indices.shape();
        int r = is.length + 1, axis = ShapeOps.axis(axisAttr, r);
        long[] out = new long[r];
        System.arraycopy(is, 0, out, 0, axis);
        out[axis] = depth;
        System.arraycopy(is, axis, out, axis + 1, is.length - axis);
        Object vals = Elements.array(values), dst = Elements.allocate(values.dtype(), Math.toIntExact(Tensor.elementCount(out)));
        Object off = Elements.allocate(values.dtype(), 1);
        System.arraycopy(vals, 0, off, 0, 1);
        Elements.fill(dst, off);
        long outer = ShapeOps.prod(is, 0, axis), inner = ShapeOps.prod(is, axis, is.length);
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < inner; i++) {
                double raw = indices.getDouble(o * inner + i);
                long idx = (long) raw;
                if (idx < 0) idx += depth;
                if (idx < 0 || idx >= depth) continue; // out of range: all "off", as specified
                System.arraycopy(vals, 1, dst, Math.toIntExact((o * depth + idx) * inner + i), 1);
            }
        }
        return Elements.wrap(values.dtype(), dst, out);
    }

    static Tensor trilu(Tensor t, long k, boolean upper) {
        long[] s = t.shape();
        if (s.length < 2) throw new IllegalArgumentException("Trilu needs rank ≥ 2, got " + Arrays.toString(s));
        int rows = Math.toIntExact(s[s.length - 2]), cols = Math.toIntExact(s[s.length - 1]);
        Object src = Elements.array(t), dst = Elements.allocate(t.dtype(), Tensors.size(t));
        long mats = ShapeOps.prod(s, 0, s.length - 2);
        for (long m = 0; m < mats; m++) {
            for (int i = 0; i < rows; i++) {
                // Keep columns j with j - i ≥ k (upper) or j - i ≤ k (lower).
                long from = upper ? Math.clamp(i + k, 0, cols) : 0, to = upper ? cols : Math.clamp(i + k + 1, 0, cols);
                int base = Math.toIntExact((m * rows + i) * cols);
                if (to > from) System.arraycopy(src, base + (int) from, dst, base + (int) from, (int) (to - from));
            }
        }
        return Elements.wrap(t.dtype(), dst, s);
    }

    static Tensor where(Tensor cond, Tensor x, Tensor y) {
        if (x.dtype() != y.dtype()) throw new IllegalArgumentException("Where: X is " + x.dtype() + ", Y is " + y.dtype());
        long[] shape = Broadcast.shape(Broadcast.shape(cond.shape(), x.shape()), y.shape());
        byte[] c = Tensors.bytes(LayoutOps.expand(cond, shape));
        Object dst = Elements.allocate(x.dtype(), c.length);
        Elements.select(c, Elements.array(LayoutOps.expand(x, shape)), Elements.array(LayoutOps.expand(y, shape)), dst);
        return Elements.wrap(x.dtype(), dst, shape);
    }

    static Tensor nonZero(Tensor t) {
        long[] s = t.shape();
        int n = Tensors.size(t), r = s.length;
        boolean fp = t.dtype().isFloatingPoint();
        int[] hits = new int[n];
        int nnz = 0;
        for (int i = 0; i < n; i++) if (fp ? t.getDouble(i) != 0 : t.getLong(i) != 0) hits[nnz++] = i;
        long[] out = new long[r * nnz];
        long[] stride = AxisGather.strides(s);
        for (int j = 0; j < nnz; j++) {
            long rem = hits[j];
            for (int d = 0; d < r; d++) { out[d * nnz + j] = rem / stride[d]; rem %= stride[d]; }
        }
        return Tensors.ofLongs(out, r, nnz);
    }
}
