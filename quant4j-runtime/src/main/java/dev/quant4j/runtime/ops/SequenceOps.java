package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * Operators that walk along one axis in order: TopK, CumSum, ReverseSequence. A tensor is viewed
 * as [outer × len × inner] around the axis, and each of the outer·inner lines is handled alone.
 */
final class SequenceOps {
    private SequenceOps() {}

    static void register(OpRegistry r) {
        r.register("TopK", SequenceOps::topK);
        r.register("CumSum", s -> {
            boolean exclusive = s.attributes().getInt("exclusive", 0) != 0, reverse = s.attributes().getInt("reverse", 0) != 0;
            return (in, ctx) -> new Tensor[] {cumSum(in[0], ShapeOps.axis(Tensors.toLongs(in[1])[0], in[0].rank()), exclusive, reverse)};
        });
        r.register("ReverseSequence", s -> {
            long batchAxis = s.attributes().getInt("batch_axis", 1), timeAxis = s.attributes().getInt("time_axis", 0);
            return (in, ctx) -> new Tensor[] {reverseSequence(in[0], Tensors.toLongs(in[1]), batchAxis, timeAxis)};
        });
    }

    private static Op topK(NodeSetup s) {
        long axisAttr = s.attributes().getInt("axis", -1);
        boolean largest = s.attributes().getInt("largest", 1) != 0;
        long kAttr = s.opset() < 10 ? s.attributes().getInt("k", -1) : -1;
        return (in, ctx) -> topK(in[0], kAttr >= 0 ? kAttr : Tensors.toLongs(in[1])[0], ShapeOps.axis(axisAttr, in[0].rank()), largest);
    }

    /** Values and int64 indices of the k largest (or smallest) along the axis, sorted; ties keep the lower index first. */
    static Tensor[] topK(Tensor x, long kl, int axis, boolean largest) {
        long[] s = x.shape();
        if (kl < 0 || kl > s[axis]) throw new IllegalArgumentException("TopK: k = " + kl + " for an axis of " + s[axis]);
        int k = (int) kl, len = Math.toIntExact(s[axis]);
        int outer = Math.toIntExact(ShapeOps.prod(s, 0, axis)), inner = Math.toIntExact(ShapeOps.prod(s, axis + 1, s.length));
        // One sortable key per element: doubles for floating point, longs for integers.
        boolean fp = x.dtype().isFloatingPoint();
        double[] kd = fp ? toDoubles(x) : null;
        long[] kv = fp ? null : Tensors.toLongs(x);
        long[] out = s.clone();
        out[axis] = k;
        Object src = Elements.array(x), vals = Elements.allocate(x.dtype(), outer * k * inner);
        long[] idxOut = new long[outer * k * inner];
        int[] best = new int[k];
        Integer[] order = new Integer[len];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                // Comparison of elements j1, j2 of this line: > 0 when j1 ranks before j2.
                java.util.function.IntBinaryOperator rank = (j1, j2) -> {
                    int c = fp ? Double.compare(kd[base + j1 * inner], kd[base + j2 * inner]) : Long.compare(kv[base + j1 * inner], kv[base + j2 * inner]);
                    return largest ? c : -c;
                };
                if (k <= 64) {
                    // Insertion into the k best so far; scanning in index order and requiring a strict
                    // improvement keeps the lower index first among equal values.
                    int n = 0;
                    for (int j = 0; j < len; j++) {
                        if (n == k && rank.applyAsInt(j, best[k - 1]) <= 0) continue;
                        int p = n < k ? n++ : k - 1;
                        while (p > 0 && rank.applyAsInt(j, best[p - 1]) > 0) { best[p] = best[p - 1]; p--; }
                        best[p] = j;
                    }
                } else {
                    for (int j = 0; j < len; j++) order[j] = j;
                    Arrays.sort(order, (a, b) -> rank.applyAsInt(b, a)); // stable: equal values stay in index order
                    for (int j = 0; j < k; j++) best[j] = order[j];
                }
                for (int j = 0; j < k; j++) {
                    int at = (o * k + j) * inner + i;
                    idxOut[at] = best[j];
                    System.arraycopy(src, base + best[j] * inner, vals, at, 1);
                }
            }
        }
        return new Tensor[] {Elements.wrap(x.dtype(), vals, out), Tensors.ofLongs(idxOut, out)};
    }

    private static double[] toDoubles(Tensor x) {
        int n = Tensors.size(x);
        double[] d = new double[n];
        if (x.dtype() == DataType.FLOAT32) {
            float[] f = Tensors.floats(x);
            for (int i = 0; i < n; i++) d[i] = f[i];
        } else {
            for (int i = 0; i < n; i++) d[i] = x.getDouble(i);
        }
        return d;
    }

    static Tensor cumSum(Tensor x, int axis, boolean exclusive, boolean reverse) {
        long[] s = x.shape();
        int len = Math.toIntExact(s[axis]);
        int outer = Math.toIntExact(ShapeOps.prod(s, 0, axis)), inner = Math.toIntExact(ShapeOps.prod(s, axis + 1, s.length));
        DataType d = x.dtype();
        int n = Tensors.size(x);
        boolean fp = d == DataType.FLOAT32 || d == DataType.FLOAT64;
        if (!fp && !d.isInteger()) throw new IllegalArgumentException("CumSum on " + d + " is not supported");
        double[] vd = new double[fp ? n : 0], od = new double[vd.length];
        long[] vl = fp ? new long[0] : x.toLongs(), ol = new long[vl.length];
        for (int i = 0; i < vd.length; i++) vd[i] = x.getDouble(i);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double accD = 0;
                long accL = 0;
                for (int step = 0; step < len; step++) {
                    int at = o * len * inner + (reverse ? len - 1 - step : step) * inner + i;
                    if (fp) {
                        if (!exclusive) accD += vd[at];
                        od[at] = accD;
                        if (exclusive) accD += vd[at];
                    } else {
                        if (!exclusive) accL += vl[at];
                        ol[at] = accL;
                        if (exclusive) accL += vl[at];
                    }
                }
            }
        }
        return fp ? CastOps.cast(Elements.wrap(DataType.FLOAT64, od, s), d) : Tensors.fromLongs(d, ol, s);
    }

    static Tensor reverseSequence(Tensor x, long[] lens, long batchAxisAttr, long timeAxisAttr) {
        long[] s = x.shape();
        int r = s.length, ba = ShapeOps.axis(batchAxisAttr, r), ta = ShapeOps.axis(timeAxisAttr, r);
        if (lens.length != s[ba]) throw new IllegalArgumentException("ReverseSequence: " + lens.length + " lengths for a batch of " + s[ba]);
        long[] stride = AxisGather.strides(s);
        int n = Tensors.size(x);
        int[] off = new int[n];
        int[] pos = new int[r];
        for (int e = 0; e < n; e++) {
            long len = lens[pos[ba]];
            if (len < 0 || len > s[ta]) throw new IllegalArgumentException("ReverseSequence: length " + len + " for a time axis of " + s[ta]);
            long t = pos[ta] < len ? len - 1 - pos[ta] : pos[ta];
            off[e] = (int) (e + (t - pos[ta]) * stride[ta]);
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < s[d]) break;
                pos[d] = 0;
            }
        }
        Object dst = Elements.allocate(x.dtype(), n);
        Elements.copyIndexed(Elements.array(x), 0, off, dst, 0, n);
        return Elements.wrap(x.dtype(), dst, s);
    }
}
