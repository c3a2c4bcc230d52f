package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;

/**
 * The one copy loop behind Transpose, Slice, Expand, Tile, Pad, one-axis Gather, DepthToSpace,
 * SpaceToDepth and nearest Resize: every output element is read from a source offset that is a
 * sum of one term per output axis,
 *
 * <pre>
 *   out[i0, i1, …, ik] = src[ off[0][i0] + off[1][i1] + … + off[k][ik] ]
 * </pre>
 *
 * A negative term means "no source element": the output keeps the value it was filled with
 * (Pad's constant, Resize's extrapolation value). The innermost axis is copied as one run with
 * {@code System.arraycopy} when its terms are consecutive, as a strided loop when they are evenly
 * spaced, else element by element.
 */
final class AxisGather {
    private AxisGather() {}

    /** Source offsets along one axis of a source with element stride {@code stride}: (start + i·step)·stride. */
    static int[] strided(int count, long start, long step, long stride) {
        int[] o = new int[count];
        for (int i = 0; i < count; i++) o[i] = Math.toIntExact((start + i * step) * stride);
        return o;
    }

    /** Row-major element strides of {@code shape}. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /** Gathers into a new zeroed tensor of {@code src}'s type. */
    static Tensor gather(Tensor src, long[] outShape, int[][] off) {
        Object dst = Elements.allocate(src.dtype(), Math.toIntExact(Tensor.elementCount(outShape)));
        gather(Elements.array(src), off, dst);
        return Elements.wrap(src.dtype(), dst, outShape);
    }

    /** Gathers {@code src} into {@code dst}, whose shape is given by the lengths of {@code off}. */
    static void gather(Object src, int[][] off, Object dst) {
        int rank = off.length;
        if (rank == 0) { System.arraycopy(src, 0, dst, 0, 1); return; }
        int[] inner = off[rank - 1];
        int n = inner.length;
        long total = 1;
        for (int[] o : off) total *= o.length;
        if (total == 0) return;
        int mode = runMode(inner); // 0 contiguous, 1 evenly strided, 2 arbitrary
        int stride = n > 1 ? inner[1] - inner[0] : 1;
        int runs = Math.toIntExact(total / n);
        int[] idx = new int[rank - 1];
        int base = 0;
        boolean outside = false;
        for (int d = 0; d < rank - 1; d++) { base += off[d][0]; outside |= off[d][0] < 0; }
        for (int r = 0, out = 0; r < runs; r++, out += n) {
            if (!outside) {
                if (mode == 2) Elements.copyIndexed(src, base, inner, dst, out, n);
                else Elements.copyStrided(src, base + inner[0], stride, dst, out, n);
            }
            // Advance the odometer over the outer axes, keeping base as the sum of their terms.
            for (int d = rank - 2; d >= 0; d--) {
                int[] od = off[d];
                base -= od[idx[d]];
                if (++idx[d] < od.length) { base += od[idx[d]]; break; }
                idx[d] = 0;
                base += od[0];
            }
            if (rank > 1) {
                outside = false;
                for (int d = 0; d < rank - 1 && !outside; d++) outside = off[d][idx[d]] < 0;
            }
        }
    }

    private static int runMode(int[] o) {
        for (int v : o) if (v < 0) return 2;
        if (o.length < 2) return 0;
        int step = o[1] - o[0];
        for (int i = 2; i < o.length; i++) if (o[i] - o[i - 1] != step) return 2;
        return step == 1 ? 0 : 1;
    }
}
