package dev.quant4j.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded bootstrap confidence intervals over samples, for any {@link SampleStatistic}.
 *
 * <p>A resample is drawn as counts (how often each sample was drawn), so a statistic never copies
 * its per-sample records. The same seed gives the same intervals. Replicates that come out NaN
 * (e.g. AUC on a resample without negatives) are dropped; if more than half are, the interval is
 * NaN rather than a misleading one.
 */
public final class Bootstrap {
    public static final int DEFAULT_RESAMPLES = 2000;
    /** BCa's jackknife is O(n) evaluations; above this many samples it deletes groups instead. */
    static final int MAX_JACKKNIFE_GROUPS = 1000;

    private final int resamples;
    private final double confidence;
    private final long seed;

    public Bootstrap(int resamples, double confidence, long seed) {
        if (resamples < 10) throw new IllegalArgumentException("need at least 10 resamples, got " + resamples);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        this.resamples = resamples;
        this.confidence = confidence;
        this.seed = seed;
    }

    /** 2000 resamples, 95%, the given seed. */
    public static Bootstrap of(long seed) {
        return new Bootstrap(DEFAULT_RESAMPLES, 0.95, seed);
    }

    public int resamples() { return resamples; }

    public double confidence() { return confidence; }

    /** Percentile interval: the alpha/2 and 1-alpha/2 quantiles of the replicates. */
    public MetricResult percentile(SampleStatistic s) {
        double[] reps = finiteSorted(replicates(s, null, Op.SINGLE));
        return interval(s.value(), reps, s.size(), "percentile");
    }

    /**
     * Bias-corrected and accelerated interval (Efron 1987): the percentile interval with its
     * quantile levels shifted by the bias z0 (share of replicates below the estimate) and the
     * acceleration a (skewness of the jackknife values).
     */
    public MetricResult bca(SampleStatistic s) {
        double theta = s.value();
        double[] reps = finiteSorted(replicates(s, null, Op.SINGLE));
        int n = s.size();
        String method = describe("BCa");
        if (reps.length < resamples / 2 || Double.isNaN(theta)) return new MetricResult(theta, Double.NaN, Double.NaN, n, method);
        double below = 0;
        for (double r : reps) below += r < theta ? 1 : r == theta ? 0.5 : 0;
        double z0 = Normal.quantile(Math.min(1 - 1e-12, Math.max(1e-12, below / reps.length)));
        double a = acceleration(s);
        double alpha = 1 - confidence;
        double lo = adjusted(z0, a, Normal.quantile(alpha / 2));
        double hi = adjusted(z0, a, Normal.quantile(1 - alpha / 2));
        return new MetricResult(theta, quantile(reps, lo), quantile(reps, hi), n, method);
    }

    /**
     * Difference a - b of two statistics on the same samples, each resample applied to both: the
     * sample-to-sample variation they share cancels, so the interval is narrower than
     * {@link #unpairedDifference} when the models agree on which samples are hard.
     */
    public MetricResult pairedDifference(SampleStatistic a, SampleStatistic b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("a paired comparison needs the same samples: " + a.size() + " vs " + b.size());
        }
        double[] reps = finiteSorted(replicates(a, b, Op.PAIRED));
        return interval(a.value() - b.value(), reps, a.size(), "paired percentile");
    }

    /** Difference a - b resampling the two independently, as if the samples were unrelated. */
    public MetricResult unpairedDifference(SampleStatistic a, SampleStatistic b) {
        double[] reps = finiteSorted(replicates(a, b, Op.UNPAIRED));
        return interval(a.value() - b.value(), reps, Math.min(a.size(), b.size()), "unpaired percentile");
    }

    private enum Op { SINGLE, PAIRED, UNPAIRED }

    private double[] replicates(SampleStatistic a, SampleStatistic b, Op op) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = a.size();
        int[] counts = new int[n];
        int[] countsB = op == Op.UNPAIRED ? new int[b.size()] : null;
        double[] reps = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            draw(rng, counts);
            double v = a.evaluate(counts);
            if (op == Op.PAIRED) v -= b.evaluate(counts);
            if (op == Op.UNPAIRED) {
                draw(rng, countsB);
                v -= b.evaluate(countsB);
            }
            reps[r] = v;
        }
        return reps;
    }

    private static void draw(SplittableRandom rng, int[] counts) {
        int n = counts.length;
        Arrays.fill(counts, 0);
        for (int j = 0; j < n; j++) counts[rng.nextInt(n)]++;
    }

    private MetricResult interval(double value, double[] sortedReps, int n, String kind) {
        String method = describe(kind);
        if (sortedReps.length < resamples / 2) return new MetricResult(value, Double.NaN, Double.NaN, n, method);
        double alpha = 1 - confidence;
        return new MetricResult(value, quantile(sortedReps, alpha / 2), quantile(sortedReps, 1 - alpha / 2), n, method);
    }

    private String describe(String kind) {
        return String.format(Locale.ROOT, "%s bootstrap B=%d %.4g%% seed=%d", kind, resamples, 100 * confidence, seed);
    }

    private static double adjusted(double z0, double a, double z) {
        double t = z0 + z;
        return Normal.cdf(z0 + t / (1 - a * t));
    }

    /** Jackknife acceleration, deleting one sample (or one contiguous group when n is large). */
    private static double acceleration(SampleStatistic s) {
        int n = s.size();
        int groups = Math.min(n, MAX_JACKKNIFE_GROUPS);
        int[] counts = new int[n];
        double[] jack = new double[groups];
        int m = 0;
        for (int g = 0; g < groups; g++) {
            int from = (int) ((long) g * n / groups), to = (int) ((long) (g + 1) * n / groups);
            Arrays.fill(counts, 1);
            Arrays.fill(counts, from, to, 0);
            double v = s.evaluate(counts);
            if (Double.isFinite(v)) jack[m++] = v;
        }
        if (m < 3) return 0;
        double mean = 0;
        for (int i = 0; i < m; i++) mean += jack[i];
        mean /= m;
        double s2 = 0, s3 = 0;
        for (int i = 0; i < m; i++) {
            double d = mean - jack[i];
            s2 += d * d;
            s3 += d * d * d;
        }
        return s2 == 0 ? 0 : s3 / (6 * Math.pow(s2, 1.5));
    }

    private static double[] finiteSorted(double[] reps) {
        double[] out = Arrays.stream(reps).filter(Double::isFinite).toArray();
        Arrays.sort(out);
        return out;
    }

    /** Linear interpolation between order statistics (Hyndman-Fan type 7). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
