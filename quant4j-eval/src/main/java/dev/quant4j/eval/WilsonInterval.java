package dev.quant4j.eval;

import java.util.Locale;

/**
 * Wilson score interval for a proportion (accuracy, agreement).
 *
 * <p>Why next to the bootstrap: when every sample is right (or wrong) all resamples are too, and
 * the percentile bootstrap collapses to a zero-width interval [1, 1]. Wilson's interval inverts the
 * normal score test instead and stays honest at the boundary: 140 of 140 gives [0.973, 1].
 */
public final class WilsonInterval {
    private WilsonInterval() {}

    public static MetricResult of(long successes, long n, double confidence) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + " of " + n);
        }
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many samples: " + n);
        String method = String.format(Locale.ROOT, "Wilson score %.4g%%", 100 * confidence);
        if (n == 0) return new MetricResult(Double.NaN, Double.NaN, Double.NaN, 0, method);
        double z = Normal.quantile(1 - (1 - confidence) / 2), z2 = z * z;
        double p = (double) successes / n;
        double denom = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new MetricResult(p, Math.max(0, center - half), Math.min(1, center + half), (int) n, method);
    }

    /** From per-sample correctness. */
    public static MetricResult of(boolean[] correct, double confidence) {
        long k = 0;
        for (boolean c : correct) if (c) k++;
        return of(k, correct.length, confidence);
    }
}
