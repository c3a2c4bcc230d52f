package dev.quant4j.train;

/**
 * Connectionist temporal classification loss (Graves et al., 2006) over per-frame class scores
 * [n × t × c] (the layout of PP-OCR's recognizer output), every sample using all t frames; the
 * loss is −log P(target | input) averaged over the batch.
 *
 * <p>Computed in float64 and in log space. The target is extended with blanks,
 * {@code l' = (blank, l1, blank, l2, …, lL, blank)}, S = 2L+1 states:
 * <pre>
 *   α[0][0] = y[0][blank]         α[0][1] = y[0][l'1]
 *   α[t][s] = y[t][l's] · (α[t−1][s] + α[t−1][s−1] + [l's ≠ blank ∧ l's ≠ l's−2] α[t−1][s−2])
 *   β[T−1][S−1] = β[T−1][S−2] = 1          (β excludes the emission at t)
 *   β[t][s]   = Σ over s' ∈ {s, s+1, s+2 (same rule)} of y[t+1][l's'] · β[t+1][s']
 *   P = α[T−1][S−1] + α[T−1][S−2]          α[t][s]·β[t][s] = mass of the paths through (t, s)
 *   ∂(−log P)/∂log y[t][k] = −Σ_{s: l's = k} α[t][s]·β[t][s] / P
 * </pre>
 * Products are sums of logs; sums are log-sum-exp.
 */
public final class CtcLoss {
    private CtcLoss() {}

    /** Mean loss over the batch, per-sample losses, and the gradient of the mean loss (same layout as the input). */
    public record Result(double loss, double[] perSample, float[] grad) {}

    /** From log-probabilities (a log-softmax over c); the gradient is with respect to them. */
    public static Result ofLogProbs(float[] logProbs, int n, int t, int c, int[][] targets, int blank) {
        return run(toDouble(logProbs), n, t, c, targets, blank, false);
    }

    /** From unnormalized scores (a log-softmax over c is applied here); the gradient is with respect to the scores. */
    public static Result ofLogits(float[] logits, int n, int t, int c, int[][] targets, int blank) {
        return run(toDouble(logits), n, t, c, targets, blank, true);
    }

    /** From probabilities (a model ending in Softmax); the gradient is with respect to the probabilities. */
    public static Result ofProbabilities(float[] probs, int n, int t, int c, int[][] targets, int blank) {
        double[] lp = new double[probs.length];
        for (int i = 0; i < lp.length; i++) lp[i] = Math.log(probs[i]);
        Result r = run(lp, n, t, c, targets, blank, false);
        float[] g = r.grad();
        // d/dp = d/dlog p · 1/p; the CTC gradient is zero wherever no alignment passes, so 0/0 is read as 0
        for (int i = 0; i < g.length; i++) g[i] = g[i] == 0 ? 0 : g[i] / probs[i];
        return r;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static Result run(double[] x, int n, int t, int c, int[][] targets, int blank, boolean logits) {
        if (x.length != (long) n * t * c) throw new IllegalArgumentException(x.length + " scores for n=" + n + ", t=" + t + ", c=" + c);
        if (targets.length != n) throw new IllegalArgumentException(targets.length + " targets for a batch of " + n);
        double[] g = new double[x.length];
        double[] per = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int off = i * t * c;
            if (logits) logSoftmaxRows(x, off, t, c);
            try {
                per[i] = sample(x, off, t, c, targets[i], blank, g);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CTC sample " + i + ": " + e.getMessage(), e);
            }
            if (logits) softmaxBackwardRows(x, g, off, t, c);
            sum += per[i];
        }
        float[] grad = new float[g.length];
        for (int i = 0; i < g.length; i++) grad[i] = (float) (g[i] / n);
        return new Result(sum / n, per, grad);
    }

    /** In place: each row of c values becomes its log-softmax. */
    static void logSoftmaxRows(double[] x, int off, int t, int c) {
        for (int r = 0; r < t; r++) {
            int o = off + r * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) max = Math.max(max, x[o + k]);
            double s = 0;
            for (int k = 0; k < c; k++) s += Math.exp(x[o + k] - max);
            double lse = max + Math.log(s);
            for (int k = 0; k < c; k++) x[o + k] -= lse;
        }
    }

    /** In place: g (w.r.t. log-softmax outputs lp) becomes the gradient w.r.t. the scores: g − softmax·Σg. */
    private static void softmaxBackwardRows(double[] lp, double[] g, int off, int t, int c) {
        for (int r = 0; r < t; r++) {
            int o = off + r * c;
            double s = 0;
            for (int k = 0; k < c; k++) s += g[o + k];
            for (int k = 0; k < c; k++) g[o + k] -= Math.exp(lp[o + k]) * s;
        }
    }

    /**
     * −log P(target) of one sample whose log-probabilities start at {@code off}; adds
     * ∂(−log P)/∂lp into {@code grad} at the same positions.
     */
    static double sample(double[] lp, int off, int t, int c, int[] target, int blank, double[] grad) {
        int len = target.length, states = 2 * len + 1, repeats = 0;
        if (blank < 0 || blank >= c) throw new IllegalArgumentException("blank " + blank + " outside [0, " + c + ")");
        for (int j = 0; j < len; j++) {
            if (target[j] < 0 || target[j] >= c || target[j] == blank)
                throw new IllegalArgumentException("target label " + target[j] + " at " + j + " is the blank or outside [0, " + c + ")");
            if (j > 0 && target[j] == target[j - 1]) repeats++;
        }
        if (t < len + repeats)
            throw new IllegalArgumentException("a target of " + len + " labels with " + repeats + " repeats needs at least " + (len + repeats) + " frames, got " + t);
        int[] ext = new int[states];
        for (int s = 0; s < states; s++) ext[s] = s % 2 == 0 ? blank : target[s / 2];
        double ninf = Double.NEGATIVE_INFINITY;
        double[][] alpha = new double[t][states], beta = new double[t][states];
        for (double[] row : alpha) java.util.Arrays.fill(row, ninf);
        for (double[] row : beta) java.util.Arrays.fill(row, ninf);
        alpha[0][0] = lp[off + blank];
        if (states > 1) alpha[0][1] = lp[off + ext[1]];
        for (int f = 1; f < t; f++) {
            int o = off + f * c;
            for (int s = 0; s < states; s++) {
                double a = alpha[f - 1][s];
                if (s >= 1) a = logAdd(a, alpha[f - 1][s - 1]);
                if (skipAllowed(ext, s)) a = logAdd(a, alpha[f - 1][s - 2]);
                alpha[f][s] = a == ninf ? ninf : a + lp[o + ext[s]];
            }
        }
        beta[t - 1][states - 1] = 0;
        if (states > 1) beta[t - 1][states - 2] = 0;
        for (int f = t - 2; f >= 0; f--) {
            int o = off + (f + 1) * c;
            for (int s = 0; s < states; s++) {
                double b = beta[f + 1][s] + lp[o + ext[s]];
                if (s + 1 < states) b = logAdd(b, beta[f + 1][s + 1] + lp[o + ext[s + 1]]);
                if (s + 2 < states && skipAllowed(ext, s + 2)) b = logAdd(b, beta[f + 1][s + 2] + lp[o + ext[s + 2]]);
                beta[f][s] = b;
            }
        }
        double logP = alpha[t - 1][states - 1];
        if (states > 1) logP = logAdd(logP, alpha[t - 1][states - 2]);
        if (logP == ninf) throw new IllegalArgumentException("the target has probability 0 under these scores");
        for (int f = 0; f < t; f++) {
            int o = off + f * c;
            for (int s = 0; s < states; s++) {
                double v = alpha[f][s] + beta[f][s];
                if (v != ninf) grad[o + ext[s]] -= Math.exp(v - logP);
            }
        }
        return -logP;
    }

    /** A path may jump from s−2 to s when l's is a label that differs from l's−2. */
    private static boolean skipAllowed(int[] ext, int s) {
        return s >= 2 && ext[s] != ext[s - 2] && s % 2 == 1;
    }

    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
