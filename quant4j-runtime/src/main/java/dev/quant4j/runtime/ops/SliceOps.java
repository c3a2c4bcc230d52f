package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/** Slice, Pad, Concat and Split: cutting tensors into boxes and gluing boxes together. */
final class SliceOps {
    private SliceOps() {}

    static void register(OpRegistry r) {
        r.register("Slice", SliceOps::slice);
        r.register("Pad", SliceOps::pad);
        r.register("Concat", s -> {
            long axis = s.attributes().getInt("axis", 0);
            return (in, ctx) -> new Tensor[] {concat(in, axis)};
        });
        r.register("Split", SliceOps::split);
    }

    private static Op slice(NodeSetup s) {
        if (s.opset() < 10) {
            long[] starts = s.attributes().getInts("starts"), ends = s.attributes().getInts("ends"), axes = s.attributes().getInts("axes");
            return (in, ctx) -> new Tensor[] {slice(in[0], starts, ends, axes, null)};
        }
        return (in, ctx) -> new Tensor[] {slice(in[0], Tensors.toLongs(in[1]), Tensors.toLongs(in[2]),
                in.length > 3 && in[3] != null ? Tensors.toLongs(in[3]) : null, in.length > 4 && in[4] != null ? Tensors.toLongs(in[4]) : null)};
    }

    static Tensor slice(Tensor t, long[] starts, long[] ends, long[] axes, long[] steps) {
        long[] s = t.shape();
        int r = s.length;
        if (starts.length != ends.length) throw new IllegalArgumentException("Slice: " + starts.length + " starts but " + ends.length + " ends");
        long[] first = new long[r], step = new long[r], count = s.clone();
        Arrays.fill(step, 1);
        boolean[] seen = new boolean[r];
        for (int i = 0; i < starts.length; i++) {
            int ax = ShapeOps.axis(axes == null ? i : axes[i], r);
            if (seen[ax]) throw new IllegalArgumentException("Slice: axis " + ax + " repeated");
            seen[ax] = true;
            long st = steps == null ? 1 : steps[i], dim = s[ax];
            if (st == 0) throw new IllegalArgumentException("Slice: step 0");
            long b = starts[i] < 0 ? starts[i] + dim : starts[i], e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (st > 0) {
                b = Math.clamp(b, 0, dim);
                e = Math.clamp(e, 0, dim);
                count[ax] = e > b ? (e - b + st - 1) / st : 0;
            } else {
                b = Math.clamp(b, -1, dim - 1);
                e = Math.clamp(e, -1, dim - 1);
                count[ax] = b > e ? (b - e - st - 1) / -st : 0;
            }
            first[ax] = b;
            step[ax] = st;
        }
        long[] stride = AxisGather.strides(s);
        int[][] off = new int[r][];
        for (int i = 0; i < r; i++) off[i] = AxisGather.strided(Math.toIntExact(count[i]), first[i], step[i], stride[i]);
        return AxisGather.gather(t, count, off);
    }

    private static Op pad(NodeSetup s) {
        String mode = s.attributes().getString("mode", "constant");
        if (!mode.equals("constant") && !mode.equals("edge") && !mode.equals("reflect"))
            throw s.error("Pad mode '" + mode + "' is not supported");
        if (s.opset() < 11) {
            long[] pads = s.attributes().has("pads") ? s.attributes().getInts("pads") : s.attributes().getInts("paddings");
            float value = s.attributes().getFloat("value", 0f);
            return (in, ctx) -> new Tensor[] {pad(in[0], pads, null, mode, Tensors.ofFloats(new float[] {value}))};
        }
        return (in, ctx) -> new Tensor[] {pad(in[0], Tensors.toLongs(in[1]), in.length > 3 && in[3] != null ? Tensors.toLongs(in[3]) : null,
                mode, in.length > 2 ? in[2] : null)};
    }

    static Tensor pad(Tensor t, long[] pads, long[] axes, String mode, Tensor value) {
        long[] s = t.shape();
        int r = s.length;
        int np = axes == null ? r : axes.length;
        if (pads.length != 2 * np) throw new IllegalArgumentException("Pad: " + pads.length + " pads for " + np + " axes");
        long[] before = new long[r], after = new long[r];
        for (int i = 0; i < np; i++) {
            int ax = axes == null ? i : ShapeOps.axis(axes[i], r);
            before[ax] = pads[i];
            after[ax] = pads[i + np];
        }
        long[] stride = AxisGather.strides(s), out = new long[r];
        int[][] off = new int[r][];
        for (int ax = 0; ax < r; ax++) {
            long dim = s[ax];
            out[ax] = dim + before[ax] + after[ax];
            if (out[ax] < 0) throw new IllegalArgumentException("Pad: pads make axis " + ax + " negative");
            int[] o = new int[Math.toIntExact(out[ax])];
            for (int i = 0; i < o.length; i++) {
                long src = i - before[ax];
                if (src < 0 || src >= dim) {
                    if (mode.equals("constant") || dim == 0) src = -1;
                    else if (mode.equals("edge")) src = src < 0 ? 0 : dim - 1;
                    else src = reflect(src, dim);
                }
                o[i] = src < 0 ? -1 : Math.toIntExact(src * stride[ax]);
            }
            off[ax] = o;
        }
        Object dst = Elements.allocate(t.dtype(), Math.toIntExact(Tensor.elementCount(out)));
        if (mode.equals("constant") && value != null && value.elementCount() > 0) {
            Tensor v = value.dtype() == t.dtype() ? value : CastOps.cast(value, t.dtype());
            Elements.fill(dst, Elements.array(v));
        }
        AxisGather.gather(Elements.array(t), off, dst);
        return Elements.wrap(t.dtype(), dst, out);
    }

    private static long reflect(long i, long dim) {
        if (dim == 1) return 0;
        long period = 2 * (dim - 1);
        i = Math.floorMod(i, period);
        return i < dim ? i : period - i;
    }

    static Tensor concat(Tensor[] parts, long axisAttr) {
        Tensor first = parts[0];
        int r = first.rank();
        int axis = ShapeOps.axis(axisAttr, r);
        long[] out = first.shape();
        out[axis] = 0;
        for (Tensor p : parts) {
            long[] ps = p.shape();
            if (p.dtype() != first.dtype() || ps.length != r) throw new IllegalArgumentException("Concat: " + p + " does not match " + first);
            for (int i = 0; i < r; i++)
                if (i != axis && ps[i] != out[i]) throw new IllegalArgumentException("Concat: " + Arrays.toString(ps) + " does not match " + Arrays.toString(first.shape()) + " off axis " + axis);
            out[axis] += ps[axis];
        }
        long outer = ShapeOps.prod(out, 0, axis), inner = ShapeOps.prod(out, axis + 1, r);
        int rowOut = Math.toIntExact(out[axis] * inner);
        Object dst = Elements.allocate(first.dtype(), Math.toIntExact(Tensor.elementCount(out)));
        int at = 0;
        for (Tensor p : parts) {
            int row = Math.toIntExact(p.dim(axis) * inner);
            if (row == 0) continue;
            Object src = Elements.array(p);
            for (int o = 0; o < outer; o++) System.arraycopy(src, o * row, dst, o * rowOut + at, row);
            at += row;
        }
        return Elements.wrap(first.dtype(), dst, out);
    }

    private static Op split(NodeSetup s) {
        long axisAttr = s.attributes().getInt("axis", 0);
        long[] attr = s.opset() < 13 ? s.attributes().getInts("split") : null;
        int outputs = s.node().outputs().size();
        return (in, ctx) -> {
            Tensor t = in[0];
            int axis = ShapeOps.axis(axisAttr, t.rank());
            long dim = t.dim(axis);
            long[] sizes = attr != null ? attr : in.length > 1 && in[1] != null ? Tensors.toLongs(in[1]) : null;
            if (sizes == null) {
                // Equal parts; the last one is smaller when the axis does not divide (opset 18).
                long part = (dim + outputs - 1) / outputs;
                sizes = new long[outputs];
                for (int i = 0; i < outputs; i++) sizes[i] = Math.max(0, Math.min(part, dim - i * part));
            }
            if (sizes.length != outputs || Arrays.stream(sizes).sum() != dim)
                throw new IllegalArgumentException("Split: sizes " + Arrays.toString(sizes) + " do not cut axis " + axis + " of " + Arrays.toString(t.shape()) + " into " + outputs);
            Tensor[] outs = new Tensor[outputs];
            long at = 0;
            for (int i = 0; i < outputs; i++) {
                outs[i] = slice(t, new long[] {at}, new long[] {at + sizes[i]}, new long[] {axis}, null);
                at += sizes[i];
            }
            return outs;
        };
    }
}
