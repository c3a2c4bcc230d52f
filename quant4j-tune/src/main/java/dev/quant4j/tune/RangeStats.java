package dev.quant4j.tune;

import java.util.Arrays;
import java.util.List;

/**
 * Range and outlier statistics of a weight or an activation: what decides how much a uniform
 * grid over [min, max] wastes. A large kurtosis (4th standardized moment; 3 for a Gaussian) or a
 * large max|x| / p99.9(|x|) says a few outliers stretch the grid for everyone else.
 *
 * @param p001       0.1st percentile of the values
 * @param p999       99.9th percentile of the values
 * @param maxOverP999 max|x| / 99.9th percentile of |x| (NaN when that percentile is 0)
 */
public record RangeStats(long count, double min, double max, double p001, double p999, double kurtosis, double maxOverP999) {

    public static final RangeStats NONE = new RangeStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Statistics of all values of the given arrays together (moments in double). */
    public static RangeStats of(List<float[]> parts) {
        long n = 0;
        for (float[] p : parts) n += p.length;
        if (n == 0) return NONE;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many values for range statistics: " + n);
        float[] all = new float[(int) n];
        int o = 0;
        double sum = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
            for (float v : p) sum += v;
        }
        double mean = sum / n, m2 = 0, m4 = 0;
        float[] abs = new float[all.length];
        for (int i = 0; i < all.length; i++) {
            double d = all[i] - mean, d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
            abs[i] = Math.abs(all[i]);
        }
        m2 /= n;
        m4 /= n;
        Arrays.sort(all);
        Arrays.sort(abs);
        double a999 = quantile(abs, 0.999);
        return new RangeStats(n, all[0], all[all.length - 1], quantile(all, 0.001), quantile(all, 0.999),
                m2 == 0 ? Double.NaN : m4 / (m2 * m2), a999 == 0 ? Double.NaN : abs[abs.length - 1] / a999);
    }

    public static RangeStats of(float[] values) {
        return of(List.of(values));
    }

    /** Linear interpolation between order statistics (Hyndman-Fan type 7), as quant4j-eval's bootstrap does. */
    static double quantile(float[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h), hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
