package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * LRN (local response normalization across channels) and MeanVarianceNormalization over chosen
 * axes, on fp32.
 */
final class LocalNormOps {
    private LocalNormOps() {}

    static void register(OpRegistry r) {
        r.register("LRN", s -> {
            float alpha = s.attributes().getFloat("alpha", 1e-4f), beta = s.attributes().getFloat("beta", 0.75f);
            float bias = s.attributes().getFloat("bias", 1f);
            long size = s.attributes().getInt("size", -1);
            if (size < 1) throw s.error("size is required and must be positive");
            return (in, ctx) -> new Tensor[] {lrn(in[0], alpha, beta, bias, (int) size)};
        });
        r.register("MeanVarianceNormalization", s -> {
            long[] axes = s.attributes().getInts("axes");
            long[] ax = axes == null ? new long[] {0, 2, 3} : axes;
            return (in, ctx) -> new Tensor[] {mvn(in[0], ax)};
        });
    }

    /**
     * y = x / (bias + alpha/size · Σ x²)^beta, the sum over channels
     * [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉] that exist.
     */
    static Tensor lrn(Tensor x, float alpha, float beta, float bias, int size) {
        long[] xs = x.shape();
        int n = Math.toIntExact(xs[0]), c = Math.toIntExact(xs[1]);
        float[] xv = Tensors.floats(x), y = new float[xv.length];
        int inner = n * c == 0 ? 0 : xv.length / (n * c);
        int before = (size - 1) / 2, after = size - 1 - before;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                int lo = Math.max(0, j - before), hi = Math.min(c - 1, j + after);
                int o = (i * c + j) * inner;
                for (int p = 0; p < inner; p++) {
                    double sq = 0;
                    for (int q = lo; q <= hi; q++) { double v = xv[(i * c + q) * inner + p]; sq += v * v; }
                    y[o + p] = (float) (xv[o + p] / Math.pow(bias + alpha / size * sq, beta));
                }
            }
        }
        return Tensors.ofFloats(y, xs);
    }

    /** y = (x − mean) / (sqrt(var) + 1e-9), statistics over {@code axes} (the ONNX function body). */
    static Tensor mvn(Tensor x, long[] axes) {
        long[] xs = x.shape();
        int rank = xs.length;
        boolean[] reduced = new boolean[rank];
        for (long a : axes) {
            int ax = (int) (a < 0 ? a + rank : a);
            if (ax < 0 || ax >= rank) throw new IllegalArgumentException("MeanVarianceNormalization axis " + a + " out of range for rank " + rank);
            reduced[ax] = true;
        }
        float[] xv = Tensors.floats(x), y = new float[xv.length];
        // Index of each element's statistics slot: its position with the reduced axes dropped.
        int[] slot = new int[xv.length];
        int slots = 1;
        for (int d = 0; d < rank; d++) if (!reduced[d]) slots *= (int) xs[d];
        int[] idx = new int[rank];
        for (int i = 0; i < xv.length; i++) {
            int sIdx = 0;
            for (int d = 0; d < rank; d++) if (!reduced[d]) sIdx = sIdx * (int) xs[d] + idx[d];
            slot[i] = sIdx;
            for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < xs[d]) break; idx[d] = 0; }
        }
        double[] sum = new double[slots], sq = new double[slots];
        int[] cnt = new int[slots];
        for (int i = 0; i < xv.length; i++) { sum[slot[i]] += xv[i]; sq[slot[i]] += (double) xv[i] * xv[i]; cnt[slot[i]]++; }
        for (int i = 0; i < xv.length; i++) {
            int s = slot[i];
            double mu = sum[s] / cnt[s], var = Math.max(0, sq[s] / cnt[s] - mu * mu);
            y[i] = (float) ((xv[i] - mu) / (Math.sqrt(var) + 1e-9));
        }
        return Tensors.ofFloats(y, xs);
    }
}
