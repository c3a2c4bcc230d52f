package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.QuantSpec;

/**
 * Threshold search minimising the KL divergence between the histogram of |x| and its quantized
 * version, after the method NVIDIA described for TensorRT INT8 calibration (Migacz, "8-bit
 * Inference with TensorRT", GTC 2017); implemented here from that description.
 *
 * <p>For every candidate i (number of |x| bins kept, from the number of levels L up to the last
 * non-empty bin):
 * <ol>
 *   <li>P = the first i bins, with the count of all later bins (the clipped outliers) added to bin i-1;
 *   <li>Q = the first i bins (without outliers) merged into L groups (group g holds bins
 *       floor(g i / L) .. floor((g+1) i / L) - 1), each group's count spread evenly over the bins
 *       where P is non-empty (bins empty in P stay empty);
 *   <li>divergence = sum over P_b &gt; 0 of p_b log(p_b / q_b) with both normalised. Where q_b = 0
 *       but p_b &gt; 0 (the last bin holds only outliers and its whole group was empty), q_b is
 *       smoothed to {@value #SMOOTHING}, so such candidates are penalised but not excluded.
 * </ol>
 * The search starts at L bins, as in the published method, so the threshold is at least L bin
 * widths: with N bins over a range set by a far outlier, the bulk of the data may get few bins and
 * the threshold is then coarse (more bins help).
 * The threshold is the upper edge i w of the best candidate, and the range is [-t, t] cut to the data's
 * extremes. L is the number of codes on one side ({@link HistogramRange#levels}: 128 for INT8).
 */
public record EntropyRange() implements HistogramRange {
    /** Normalised probability given to a Q bin that is empty where P is not. */
    static final double SMOOTHING = 1e-9;

    @Override public float[] select(Histogram h, QuantSpec spec) {
        long[] abs = h.absoluteCounts();
        int last = abs.length - 1;
        while (last > 0 && abs[last] == 0) last--;
        int used = last + 1;
        int levels = HistogramRange.levels(h, spec);
        double absMax = Math.max(-(double) h.min(), h.max());
        if (used <= levels) return HistogramRange.clipSymmetric(h, absMax);
        long[] suffix = new long[used + 1];
        for (int b = used - 1; b >= 0; b--) suffix[b] = suffix[b + 1] + abs[b];
        double best = Double.POSITIVE_INFINITY;
        int bestI = used;
        double[] q = new double[used];
        for (int i = levels; i <= used; i++) {
            double kl = divergence(abs, i, suffix[i], levels, q);
            if (kl < best) { best = kl; bestI = i; }
        }
        double t = Math.min(bestI * h.binWidth(), absMax);
        return HistogramRange.clipSymmetric(h, t);
    }

    /** KL(P || Q) for candidate i; {@code q} is scratch space of at least i entries. */
    static double divergence(long[] bins, int i, long outliers, int levels, double[] q) {
        double pTotal = 0, qTotal = 0;
        for (int g = 0; g < levels; g++) {
            int from = (int) ((long) g * i / levels), to = (int) ((long) (g + 1) * i / levels);
            long sum = 0;
            int nonEmpty = 0;
            for (int b = from; b < to; b++) {
                sum += bins[b];
                if (bins[b] != 0 || (b == i - 1 && outliers != 0)) nonEmpty++;
            }
            double share = nonEmpty == 0 ? 0 : (double) sum / nonEmpty;
            for (int b = from; b < to; b++) q[b] = bins[b] != 0 || (b == i - 1 && outliers != 0) ? share : 0;
            qTotal += sum;
        }
        for (int b = 0; b < i; b++) pTotal += bins[b];
        pTotal += outliers;
        if (qTotal == 0) return Double.POSITIVE_INFINITY;
        double kl = 0;
        for (int b = 0; b < i; b++) {
            double p = bins[b] + (b == i - 1 ? outliers : 0);
            if (p == 0) continue;
            double pn = p / pTotal, qn = q[b] == 0 ? SMOOTHING : q[b] / qTotal;
            kl += pn * Math.log(pn / qn);
        }
        return kl;
    }
}
