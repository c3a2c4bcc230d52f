package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double[] bernoulli(SplittableRandom rng, int n, double p) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble() < p ? 1 : 0;
        return v;
    }

    /** The nominal 95% interval of a Bernoulli mean must cover the true p in >= 90% of 200 trials. */
    @Test
    void percentileIntervalCoversTrueMean() {
        SplittableRandom rng = new SplittableRandom(20261127L);
        double p = 0.3;
        int covered = 0, trials = 200;
        for (int t = 0; t < trials; t++) {
            SampleStatistic s = SampleStatistic.mean(bernoulli(rng, 120, p));
            if (new Bootstrap(1000, 0.95, t).percentile(s).covers(p)) covered++;
        }
        System.out.printf("percentile 95%% interval of a Bernoulli(%.1f) mean, n=120: covered %d of %d%n", p, covered, trials);
        assertTrue(covered >= 180, "covered " + covered + " of " + trials);
        // and it is not trivially wide: a 95% interval should miss sometimes
        assertTrue(covered < trials, "covered every trial: interval suspiciously wide");
    }

    @Test
    void bcaIntervalCoversTrueMean() {
        SplittableRandom rng = new SplittableRandom(7);
        double p = 0.1;   // skewed: where BCa's corrections matter
        int covered = 0, trials = 200;
        for (int t = 0; t < trials; t++) {
            SampleStatistic s = SampleStatistic.mean(bernoulli(rng, 100, p));
            if (new Bootstrap(1000, 0.95, t).bca(s).covers(p)) covered++;
        }
        System.out.printf("BCa 95%% interval of a Bernoulli(%.1f) mean, n=100: covered %d of %d%n", p, covered, trials);
        assertTrue(covered >= 180, "covered " + covered + " of " + trials);
    }

    /** The bootstrap standard error of a mean is close to the textbook sqrt(p(1-p)/n). */
    @Test
    void intervalWidthMatchesNormalTheory() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] v = bernoulli(rng, 2000, 0.5);
        double m = 0;
        for (double x : v) m += x;
        m /= v.length;
        MetricResult r = Bootstrap.of(1).percentile(SampleStatistic.mean(v));
        double expected = 2 * 1.959963984540054 * Math.sqrt(m * (1 - m) / v.length);
        assertEquals(m, r.value(), 1e-15);
        assertEquals(expected, r.width(), 0.1 * expected);
        assertEquals(2000, r.n());
    }

    /** Above 1000 samples BCa's jackknife deletes groups; on symmetric data it stays near the percentile interval. */
    @Test
    void bcaOnManySamplesIsCloseToPercentileForSymmetricData() {
        SplittableRandom rng = new SplittableRandom(12);
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        Bootstrap bs = new Bootstrap(1000, 0.95, 3);
        MetricResult p = bs.percentile(SampleStatistic.mean(v)), b = bs.bca(SampleStatistic.mean(v));
        assertEquals(p.value(), b.value());
        assertEquals(p.ciLow(), b.ciLow(), 0.1 * p.width());
        assertEquals(p.ciHigh(), b.ciHigh(), 0.1 * p.width());
        assertTrue(b.method().startsWith("BCa"), b.method());
    }

    @Test
    void sameSeedSameInterval() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] v = new double[300];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        MetricResult a = Bootstrap.of(11).percentile(SampleStatistic.mean(v));
        MetricResult b = Bootstrap.of(11).percentile(SampleStatistic.mean(v));
        MetricResult c = Bootstrap.of(12).percentile(SampleStatistic.mean(v));
        assertEquals(a, b);
        assertNotEquals(a.ciLow(), c.ciLow());
    }

    /**
     * Two models whose per-sample errors share a large common part: the paired interval of the
     * difference must be much narrower than the unpaired one, and both must contain the truth.
     */
    @Test
    void pairedIntervalIsNarrowerOnCorrelatedData() {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 500;
        double[] a = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) {
            double hardness = rng.nextGaussian() * 2;  // shared per-sample difficulty
            a[i] = hardness + rng.nextGaussian() * 0.2;
            b[i] = hardness + 0.1 + rng.nextGaussian() * 0.2;
        }
        Bootstrap bs = Bootstrap.of(9);
        MetricResult paired = bs.pairedDifference(SampleStatistic.mean(a), SampleStatistic.mean(b));
        MetricResult unpaired = bs.unpairedDifference(SampleStatistic.mean(a), SampleStatistic.mean(b));
        assertEquals(paired.value(), unpaired.value(), 1e-12);
        assertTrue(paired.width() * 3 < unpaired.width(), paired + " vs " + unpaired);
        assertTrue(paired.covers(-0.1), paired.toString());
        assertTrue(unpaired.covers(-0.1), unpaired.toString());
        assertTrue(paired.ciHigh() < 0, "paired interval should exclude 0: " + paired);
    }

    @Test
    void pairedComparisonAddsMcNemarForAccuracy() {
        boolean[] a = new boolean[100], b = new boolean[100];
        for (int i = 0; i < 100; i++) {
            a[i] = i < 80;
            b[i] = i < 70 || (i >= 80 && i < 82);
        }
        PairedComparison c = PairedComparison.accuracy(a, b, Bootstrap.of(1));
        assertEquals(0.80, c.a().value(), 1e-15);
        assertEquals(0.72, c.b().value(), 1e-15);
        assertEquals(0.08, c.difference().value(), 1e-12);
        assertEquals(10, c.mcNemar().onlyA());
        assertEquals(2, c.mcNemar().onlyB());
        // 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * (1 + 12 + 66) / 4096
        assertEquals(2.0 * 79 / 4096, c.mcNemar().pValue(), 1e-15);
    }

    @Test
    void undefinedReplicatesAreDroppedOrGiveNaN() {
        // AUC with a single, top-scored positive: resamples without it are NaN and are dropped;
        // every other resample has AUC 1
        double[] scores = new double[50];
        boolean[] pos = new boolean[50];
        for (int i = 0; i < 50; i++) scores[i] = i;
        pos[49] = true;
        MetricResult r = Bootstrap.of(1).percentile(new RocAuc(scores, pos));
        assertEquals(new MetricResult(1.0, 1.0, 1.0, 50, r.method()), r);
        // a statistic defined on about a third of the resamples only: no interval rather than a biased one
        SampleStatistic rare = new SampleStatistic() {
            @Override public int size() { return 50; }
            @Override public double evaluate(int[] counts) { return counts[0] >= 2 || counts[0] == 1 && counts[1] == 1 && counts[2] == 1 ? 1 : Double.NaN; }
        };
        MetricResult none = Bootstrap.of(1).percentile(rare);
        assertEquals(1.0, none.value());
        assertTrue(Double.isNaN(none.ciLow()) && Double.isNaN(none.ciHigh()), none.toString());
    }

    @Test
    void quantileInterpolatesLikeType7() {
        double[] s = {1, 2, 3, 4};
        assertEquals(1.0, Bootstrap.quantile(s, 0));
        assertEquals(4.0, Bootstrap.quantile(s, 1));
        assertEquals(2.5, Bootstrap.quantile(s, 0.5));
        assertEquals(1.075, Bootstrap.quantile(s, 0.025), 1e-12);
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(5, 0.95, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(100, 1.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.of(1).pairedDifference(SampleStatistic.mean(new double[3]), SampleStatistic.mean(new double[4])));
    }
}
