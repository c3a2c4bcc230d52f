package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.QuantSpec;

/**
 * The range from the {@code 100 - p} to the {@code p} percentile of the data (for a symmetric spec:
 * [-t, t] with t the {@code p} percentile of |x|), read from the histogram.
 *
 * <p>The percentile is the nearest-rank one: the k-th smallest value with k = ceil(p/100 n). The
 * histogram gives the bin that holds it; the upper percentile is that bin's upper edge and the lower
 * percentile its lower edge, each clipped to the exact extremes. So the result is never inside the
 * exact percentile's range and at most one bin width outside it.
 */
public record PercentileRange(double percentile) implements HistogramRange {

    public PercentileRange {
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
    }

    @Override public float[] select(Histogram h, QuantSpec spec) {
        long n = h.total();
        long k = rank(n);
        double w = h.binWidth();
        if (spec != null && spec.symmetric()) {
            long[] abs = h.absoluteCounts();
            long cum = 0;
            int kb = 0;
            while (cum + abs[kb] < k) cum += abs[kb++];
            double t = Math.min((kb + 1) * w, Math.max(-(double) h.min(), h.max()));
            return HistogramRange.clipSymmetric(h, t);
        }
        return new float[] {lower(h, k), upper(h, k)};
    }

    /** The nearest rank of the p percentile among n values (1-based). */
    long rank(long n) {
        return Math.max(1, (long) Math.ceil(percentile / 100 * n));
    }

    /** Upper edge of the bin holding the k-th smallest value, clipped to the maximum. */
    static float upper(Histogram h, long k) {
        long cum = 0;
        int j = 0;
        while (cum + h.count(j) < k) cum += h.count(j++);
        return (float) Math.min(h.lowerEdge(j + 1), h.max());
    }

    /** Lower edge of the bin holding the k-th largest value, clipped to the minimum. */
    static float lower(Histogram h, long k) {
        long cum = 0;
        int j = h.bins() - 1;
        while (cum + h.count(j) < k) cum += h.count(j--);
        return (float) Math.max(h.lowerEdge(j), h.min());
    }
}
