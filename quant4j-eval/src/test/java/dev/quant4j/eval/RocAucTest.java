package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RocAucTest {

    /** The O(n^2) definition: P(score of positive > score of negative) + P(tie) / 2. */
    private static double pairs(double[] s, boolean[] pos, int[] w) {
        double num = 0, den = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (!pos[i] || pos[j]) continue;
                double ww = (double) w[i] * w[j];
                den += ww;
                num += ww * (s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0);
            }
        }
        return den == 0 ? Double.NaN : num / den;
    }

    @Test
    void handExample() {
        // scikit-learn's roc_auc_score example: 3 of the 4 positive-negative pairs are ordered
        assertEquals(0.75, RocAuc.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-15);
        assertEquals(0.5, RocAuc.auc(new double[] {1, 1, 1}, new boolean[] {true, false, true}), 1e-15);
        assertTrue(Double.isNaN(RocAuc.auc(new double[] {1, 2}, new boolean[] {true, true})));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.auc(new double[] {Double.NaN}, new boolean[] {true}));
    }

    @Property(tries = 200)
    void matchesPairDefinitionWithTiesAndWeights(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = rng.nextInt(8);     // coarse scores: many ties
            pos[i] = rng.nextBoolean();
            w[i] = rng.nextInt(4);     // bootstrap-style counts, zeros included
        }
        double expected = pairs(s, pos, w);
        double actual = new RocAuc(s, pos).evaluate(w);
        if (Double.isNaN(expected)) assertTrue(Double.isNaN(actual));
        else assertEquals(expected, actual, 1e-12);
    }

    @Test
    void separableScoresGiveIntervalNearOne() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 300;
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = i % 2 == 0;
            s[i] = rng.nextGaussian() + (pos[i] ? 1.5 : 0);
        }
        MetricResult r = Bootstrap.of(5).percentile(new RocAuc(s, pos));
        // true AUC of N(1.5,1) vs N(0,1) is Phi(1.5 / sqrt 2) = 0.8556
        assertTrue(r.covers(Normal.cdf(1.5 / Math.sqrt(2))), r.toString());
        assertTrue(r.width() < 0.15, r.toString());
    }
}
