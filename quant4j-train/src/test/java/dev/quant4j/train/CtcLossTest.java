package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CTC against its definition: a float64 brute force that enumerates all c^t frame paths,
 * collapses each (merge repeats, drop blanks) and sums the probabilities of those that spell the
 * target. Gradients against central differences of that brute force in float64.
 */
class CtcLossTest {
    /** −log Σ over paths collapsing to {@code target} of Π_t exp(lp[t][path_t]). */
    static double bruteForce(double[] lp, int off, int t, int c, int[] target, int blank) {
        int[] path = new int[t];
        double total = 0;
        long count = (long) Math.pow(c, t);
        for (long code = 0; code < count; code++) {
            long v = code;
            for (int f = 0; f < t; f++) { path[f] = (int) (v % c); v /= c; }
            if (!collapse(path, blank).equals(asList(target))) continue;
            double logp = 0;
            for (int f = 0; f < t; f++) logp += lp[off + f * c + path[f]];
            total += Math.exp(logp);
        }
        return -Math.log(total);
    }

    private static List<Integer> collapse(int[] path, int blank) {
        List<Integer> out = new ArrayList<>();
        int prev = -1;
        for (int p : path) {
            if (p != prev && p != blank) out.add(p);
            prev = p;
        }
        return out;
    }

    private static List<Integer> asList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) l.add(v);
        return l;
    }

    private static double[] randomLogProbs(SplittableRandom r, int t, int c, double spread) {
        double[] x = new double[t * c];
        for (int i = 0; i < x.length; i++) x[i] = spread * (r.nextDouble() * 2 - 1);
        CtcLoss.logSoftmaxRows(x, 0, t, c);
        return x;
    }

    private static final int[][] TARGETS = {{}, {1}, {1, 1}, {1, 2}, {2, 1, 2}, {1, 2, 2}, {3, 1}, {1, 1, 1}};

    @Test void lossEqualsTheSumOverAllAlignments() {
        SplittableRandom r = new SplittableRandom(11);
        int checked = 0;
        for (int t = 1; t <= 6; t++) {
            for (int[] target : TARGETS) {
                int c = 4, blank = 0, repeats = 0;
                for (int j = 1; j < target.length; j++) if (target[j] == target[j - 1]) repeats++;
                if (t < target.length + repeats) continue;
                double[] lp = randomLogProbs(r, t, c, 3);
                double got = CtcLoss.sample(lp, 0, t, c, target, blank, new double[lp.length]);
                double want = bruteForce(lp, 0, t, c, target, blank);
                assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), "t=" + t + " target " + asList(target));
                checked++;
            }
        }
        assertTrue(checked > 30, "checked " + checked);
    }

    @Test void blankNeedNotBeClassZero() {
        SplittableRandom r = new SplittableRandom(12);
        double[] lp = randomLogProbs(r, 5, 3, 2);
        int[] target = {0, 1, 1};
        assertEquals(bruteForce(lp, 0, 5, 3, target, 2), CtcLoss.sample(lp, 0, 5, 3, target, 2, new double[lp.length]), 1e-12);
    }

    /** The alpha-beta gradient w.r.t. each log-probability (as free variables) vs central differences of the brute force, in float64. */
    @Test void gradientMatchesCentralDifferencesOfTheBruteForce() {
        SplittableRandom r = new SplittableRandom(13);
        int t = 5, c = 3;
        for (int[] target : new int[][] {{}, {1}, {1, 1}, {2, 1, 2}, {1, 2}}) {
            double[] lp = randomLogProbs(r, t, c, 2);
            double[] g = new double[lp.length];
            CtcLoss.sample(lp, 0, t, c, target, 0, g);
            double h = 1e-5;
            for (int i = 0; i < lp.length; i++) {
                double[] p = lp.clone(), m = lp.clone();
                p[i] += h;
                m[i] -= h;
                double num = (bruteForce(p, 0, t, c, target, 0) - bruteForce(m, 0, t, c, target, 0)) / (2 * h);
                assertEquals(num, g[i], 1e-8, "target " + asList(target) + " d/dlp[" + i + "]");
            }
        }
    }

    /** The public float API from logits (log-softmax inside), batch mean, vs float64 central differences of the brute force. */
    @Test void logitGradientOfABatchMean() {
        SplittableRandom r = new SplittableRandom(14);
        int n = 2, t = 4, c = 4;
        int[][] targets = {{1, 3}, {2, 2}};
        float[] logits = new float[n * t * c];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (3 * r.nextDouble() - 1.5);
        CtcLoss.Result res = CtcLoss.ofLogits(logits, n, t, c, targets, 0);
        assertEquals(meanBrute(toDouble(logits), n, t, c, targets), res.loss(), 1e-6);
        double h = 1e-5;
        for (int i = 0; i < logits.length; i++) {
            double[] p = toDouble(logits), m = toDouble(logits);
            p[i] += h;
            m[i] -= h;
            double num = (meanBrute(p, n, t, c, targets) - meanBrute(m, n, t, c, targets)) / (2 * h);
            assertEquals(num, res.grad()[i], 1e-6, "d/dlogit[" + i + "]");
        }
    }

    /** From probabilities (a model ending in Softmax): the same loss, and d/dp = d/dlog p / p. */
    @Test void probabilityInputMatchesLogProbabilityInput() {
        SplittableRandom r = new SplittableRandom(15);
        int t = 5, c = 3;
        double[] lp = randomLogProbs(r, t, c, 2);
        float[] p = new float[lp.length], lpf = new float[lp.length];
        for (int i = 0; i < lp.length; i++) { p[i] = (float) Math.exp(lp[i]); lpf[i] = (float) lp[i]; }
        int[][] target = {{1, 2}};
        CtcLoss.Result a = CtcLoss.ofProbabilities(p, 1, t, c, target, 0), b = CtcLoss.ofLogProbs(lpf, 1, t, c, target, 0);
        assertEquals(b.loss(), a.loss(), 1e-6);
        double h = 1e-6;
        for (int i = 0; i < p.length; i++) {
            double[] pp = lp.clone(), pm = lp.clone();
            pp[i] = Math.log(Math.exp(lp[i]) + h);
            pm[i] = Math.log(Math.exp(lp[i]) - h);
            double num = (bruteForce(pp, 0, t, c, target[0], 0) - bruteForce(pm, 0, t, c, target[0], 0)) / (2 * h);
            assertEquals(num, a.grad()[i], 1e-4 * Math.max(1, Math.abs(num)), "d/dp[" + i + "]");
        }
    }

    @Test void infeasibleOrInvalidTargetsAreRefusedByName() {
        float[] x = new float[3 * 4];
        var e = assertThrows(IllegalArgumentException.class, () -> CtcLoss.ofLogits(x, 1, 3, 4, new int[][] {{1, 1, 2}}, 0));
        assertTrue(e.getMessage().contains("needs at least 4 frames"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CtcLoss.ofLogits(x, 1, 3, 4, new int[][] {{0}}, 0));
        assertTrue(e.getMessage().contains("blank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CtcLoss.ofLogits(x, 1, 3, 4, new int[][] {{4}}, 0));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    private static double meanBrute(double[] logits, int n, int t, int c, int[][] targets) {
        double[] lp = logits.clone();
        double s = 0;
        for (int i = 0; i < n; i++) {
            CtcLoss.logSoftmaxRows(lp, i * t * c, t, c);
            s += bruteForce(lp, i * t * c, t, c, targets[i], 0);
        }
        return s / n;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
