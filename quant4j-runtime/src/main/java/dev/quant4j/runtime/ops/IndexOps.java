package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * Reading and writing at indices given by a tensor: Gather, GatherElements, GatherND, ScatterND,
 * ScatterElements (and its opset-9 name Scatter). Negative indices count from the end of their
 * axis; an index outside the axis is an error naming it, never a wrong read.
 */
final class IndexOps {
    private IndexOps() {}

    static void register(OpRegistry r) {
        r.register("Gather", s -> {
            long axis = s.attributes().getInt("axis", 0);
            // A constant table (an embedding) is read into an array once, not on every run.
            Tensor table = s.constant(0);
            Object tableArray = table != null ? Elements.array(table) : null;
            return (in, ctx) -> new Tensor[] {gather(in[0], tableArray != null ? tableArray : Elements.array(in[0]), in[1], axis)};
        });
        r.register("GatherElements", s -> {
            long axis = s.attributes().getInt("axis", 0);
            return (in, ctx) -> new Tensor[] {gatherElements(in[0], in[1], axis)};
        });
        r.register("GatherND", s -> {
            int batch = (int) s.attributes().getInt("batch_dims", 0);
            return (in, ctx) -> new Tensor[] {gatherNd(in[0], in[1], batch)};
        });
        r.register("ScatterND", s -> {
            Combine red = Combine.of(s.attributes().getString("reduction", "none"));
            return (in, ctx) -> new Tensor[] {scatterNd(in[0], in[1], in[2], red)};
        });
        for (String name : new String[] {"ScatterElements", "Scatter"}) {
            r.register(name, s -> {
                long axis = s.attributes().getInt("axis", 0);
                Combine red = Combine.of(s.attributes().getString("reduction", "none"));
                return (in, ctx) -> new Tensor[] {scatterElements(in[0], in[1], in[2], axis, red)};
            });
        }
    }

    /** How a scatter combines an update with the value already there. */
    enum Combine {
        NONE, ADD, MUL, MAX, MIN;

        static Combine of(String s) {
            return switch (s) {
                case "none" -> NONE; case "add" -> ADD; case "mul" -> MUL; case "max" -> MAX; case "min" -> MIN;
                default -> throw new IllegalArgumentException("unknown scatter reduction '" + s + "'");
            };
        }

        /** {@code dst[d] = dst[d] ⊕ src[s]} for the element arrays of {@link Elements}. */
        void apply(Object dst, int d, Object src, int s) {
            if (this == NONE) { System.arraycopy(src, s, dst, d, 1); return; }
            switch (dst) {
                case float[] y -> y[d] = (float) combine(y[d], ((float[]) src)[s]);
                case double[] y -> y[d] = combine(y[d], ((double[]) src)[s]);
                case long[] y -> y[d] = combine(y[d], ((long[]) src)[s]);
                case int[] y -> y[d] = (int) combine(y[d], ((int[]) src)[s]);
                default -> throw new IllegalArgumentException("scatter reduction " + this + " on " + dst.getClass().getSimpleName() + " is not supported");
            }
        }

        private double combine(double a, double b) {
            return switch (this) { case ADD -> a + b; case MUL -> a * b; case MAX -> Math.max(a, b); case MIN -> Math.min(a, b); case NONE -> b; };
        }

        private long combine(long a, long b) {
            return switch (this) { case ADD -> a + b; case MUL -> a * b; case MAX -> Math.max(a, b); case MIN -> Math.min(a, b); case NONE -> b; };
        }
    }

    static long index(long i, long dim) {
        long v = i < 0 ? i + dim : i;
        if (v < 0 || v >= dim) throw new IllegalArgumentException("index " + i + " is outside an axis of length " + dim);
        return v;
    }

    /** Gather with {@code dataArray} = {@link Elements#array} of {@code data}. */
    static Tensor gather(Tensor data, Object dataArray, Tensor indices, long axisAttr) {
        long[] s = data.shape(), is = indices.shape();
        int r = s.length, axis = ShapeOps.axis(axisAttr, r);
        long[] idx = Tensors.toLongs(indices);
        long[] stride = AxisGather.strides(s);
        // Viewed as data[:axis] × (all indices) × data[axis+1:], then reshaped.
        long[] view = s.clone();
        view[axis] = idx.length;
        int[][] off = new int[r][];
        for (int d = 0; d < r; d++) {
            if (d != axis) { off[d] = AxisGather.strided(Math.toIntExact(s[d]), 0, 1, stride[d]); continue; }
            int[] o = new int[idx.length];
            for (int i = 0; i < o.length; i++) o[i] = Math.toIntExact(index(idx[i], s[axis]) * stride[axis]);
            off[d] = o;
        }
        long[] out = new long[r - 1 + is.length];
        System.arraycopy(s, 0, out, 0, axis);
        System.arraycopy(is, 0, out, axis, is.length);
        System.arraycopy(s, axis + 1, out, axis + is.length, r - axis - 1);
        Object dst = Elements.allocate(data.dtype(), Math.toIntExact(Tensor.elementCount(view)));
        AxisGather.gather(dataArray, off, dst);
        return Elements.wrap(data.dtype(), dst, out);
    }

    /** For every element of {@code indices}: its offset in a tensor of shape {@code s} with the axis coordinate replaced by the index. */
    private static int[] elementOffsets(long[] s, Tensor indices, int axis) {
        long[] is = indices.shape(), idx = Tensors.toLongs(indices);
        if (is.length != s.length) throw new IllegalArgumentException("indices " + Arrays.toString(is) + " and data " + Arrays.toString(s) + " differ in rank");
        long[] stride = AxisGather.strides(s);
        int[] off = new int[idx.length];
        int[] pos = new int[is.length];
        for (int i = 0; i < idx.length; i++) {
            long o = 0;
            for (int d = 0; d < is.length; d++) {
                if (d != axis && pos[d] >= s[d]) throw new IllegalArgumentException("indices " + Arrays.toString(is) + " exceed data " + Arrays.toString(s) + " off the axis");
                o += (d == axis ? index(idx[i], s[axis]) : pos[d]) * stride[d];
            }
            off[i] = Math.toIntExact(o);
            for (int d = is.length - 1; d >= 0; d--) {
                if (++pos[d] < is[d]) break;
                pos[d] = 0;
            }
        }
        return off;
    }

    static Tensor gatherElements(Tensor data, Tensor indices, long axisAttr) {
        int axis = ShapeOps.axis(axisAttr, data.rank());
        int[] off = elementOffsets(data.shape(), indices, axis);
        Object dst = Elements.allocate(data.dtype(), off.length);
        Elements.copyIndexed(Elements.array(data), 0, off, dst, 0, off.length);
        return Elements.wrap(data.dtype(), dst, indices.shape());
    }

    static Tensor scatterElements(Tensor data, Tensor indices, Tensor updates, long axisAttr, Combine red) {
        int axis = ShapeOps.axis(axisAttr, data.rank());
        if (!Arrays.equals(indices.shape(), updates.shape())) throw new IllegalArgumentException("indices " + Arrays.toString(indices.shape()) + " and updates " + Arrays.toString(updates.shape()) + " differ");
        int[] off = elementOffsets(data.shape(), indices, axis);
        Object out = copy(data), upd = Elements.array(updates);
        for (int i = 0; i < off.length; i++) red.apply(out, off[i], upd, i);
        return Elements.wrap(data.dtype(), out, data.shape());
    }

    private static Object copy(Tensor t) {
        Object src = Elements.array(t), dst = Elements.allocate(t.dtype(), Tensors.size(t));
        System.arraycopy(src, 0, dst, 0, Tensors.size(t));
        return dst;
    }

    /** Offsets of the slices addressed by the last axis of {@code indices}, one per index tuple, with batch dims. */
    private static int[] sliceOffsets(long[] s, long[] is, long[] idx, int batch) {
        int k = Math.toIntExact(is[is.length - 1]);
        if (batch + k > s.length) throw new IllegalArgumentException("index tuples of " + k + " do not fit data " + Arrays.toString(s) + " after " + batch + " batch dims");
        long[] stride = AxisGather.strides(s);
        long batches = ShapeOps.prod(is, 0, batch), tuples = ShapeOps.prod(is, 0, is.length - 1);
        long perBatch = batches == 0 ? 0 : tuples / batches;
        int[] off = new int[Math.toIntExact(tuples)];
        for (int t = 0; t < off.length; t++) {
            long b = t / perBatch, o = b * (batch == 0 ? 0 : stride[batch - 1]);
            for (int j = 0; j < k; j++) o += index(idx[t * k + j], s[batch + j]) * stride[batch + j];
            off[t] = Math.toIntExact(o);
        }
        return off;
    }

    static Tensor gatherNd(Tensor data, Tensor indices, int batch) {
        long[] s = data.shape(), is = indices.shape();
        int[] off = sliceOffsets(s, is, Tensors.toLongs(indices), batch);
        int k = Math.toIntExact(is[is.length - 1]);
        int slice = Math.toIntExact(ShapeOps.prod(s, batch + k, s.length));
        long[] out = new long[is.length - 1 + s.length - batch - k];
        System.arraycopy(is, 0, out, 0, is.length - 1);
        System.arraycopy(s, batch + k, out, is.length - 1, s.length - batch - k);
        Object src = Elements.array(data), dst = Elements.allocate(data.dtype(), off.length * slice);
        for (int t = 0; t < off.length; t++) System.arraycopy(src, off[t], dst, t * slice, slice);
        return Elements.wrap(data.dtype(), dst, out);
    }

    static Tensor scatterNd(Tensor data, Tensor indices, Tensor updates, Combine red) {
        long[] s = data.shape(), is = indices.shape();
        int[] off = sliceOffsets(s, is, Tensors.toLongs(indices), 0);
        int k = Math.toIntExact(is[is.length - 1]);
        int slice = Math.toIntExact(ShapeOps.prod(s, k, s.length));
        if (updates.elementCount() != (long) off.length * slice) throw new IllegalArgumentException("updates " + Arrays.toString(updates.shape()) + " do not match indices " + Arrays.toString(is) + " into " + Arrays.toString(s));
        Object out = copy(data), upd = Elements.array(updates);
        for (int t = 0; t < off.length; t++) {
            if (red == Combine.NONE) System.arraycopy(upd, t * slice, out, off[t], slice);
            else for (int j = 0; j < slice; j++) red.apply(out, off[t] + j, upd, t * slice + j);
        }
        return Elements.wrap(data.dtype(), out, s);
    }
}
