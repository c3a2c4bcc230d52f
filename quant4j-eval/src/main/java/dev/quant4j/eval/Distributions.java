package dev.quant4j.eval;

/**
 * Log-softmax, KL divergence and negative log-likelihood of output distributions, in double.
 *
 * <p>Logits are shifted by their maximum before exponentiation so no term overflows, and the KL
 * divergence is computed from log-probabilities, sum p (log p - log q), which stays finite where
 * p/q would under- or overflow.
 */
public final class Distributions {
    private Distributions() {}

    /** log softmax(logits[offset .. offset+length)) into out[0 .. length). */
    public static void logSoftmax(float[] logits, int offset, int length, double[] out) {
        double logZ = logSumExp(logits, offset, length);
        for (int i = 0; i < length; i++) out[i] = logits[offset + i] - logZ;
    }

    /** log sum exp(logits[offset .. offset+length)), shifted by the maximum so exp cannot overflow. */
    static double logSumExp(float[] logits, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) max = Math.max(max, logits[offset + i]);
        if (Double.isInfinite(max) || Double.isNaN(max)) {
            throw new IllegalArgumentException("logits have no finite maximum (" + max + ")");
        }
        double sum = 0;
        for (int i = 0; i < length; i++) sum += Math.exp(logits[offset + i] - max);
        return max + Math.log(sum);
    }

    public static double[] logSoftmax(float[] logits) {
        double[] out = new double[logits.length];
        logSoftmax(logits, 0, logits.length, out);
        return out;
    }

    /**
     * Log of probabilities normalised to sum 1 (they may come from a float softmax that does not
     * sum exactly to 1). Zero probabilities give -infinity.
     */
    public static double[] logProbabilities(float[] probabilities, int offset, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            float p = probabilities[offset + i];
            if (!(p >= 0) || Float.isInfinite(p)) throw new IllegalArgumentException("probability " + i + " is " + p);
            sum += p;
        }
        if (sum <= 0) throw new IllegalArgumentException("probabilities sum to " + sum);
        double[] out = new double[length];
        double logSum = Math.log(sum);
        for (int i = 0; i < length; i++) out[i] = Math.log(probabilities[offset + i]) - logSum;
        return out;
    }

    /**
     * KL(P || Q) = sum_i p_i (log p_i - log q_i) from log-probabilities. Terms with p_i = 0 are 0;
     * a class with p_i > 0 and q_i = 0 makes the divergence +infinity.
     */
    public static double kl(double[] logP, double[] logQ) {
        if (logP.length != logQ.length) {
            throw new IllegalArgumentException("distributions have " + logP.length + " and " + logQ.length + " classes");
        }
        double s = 0;
        for (int i = 0; i < logP.length; i++) {
            if (logP[i] == Double.NEGATIVE_INFINITY) continue;
            if (logQ[i] == Double.NEGATIVE_INFINITY) return Double.POSITIVE_INFINITY;
            s += Math.exp(logP[i]) * (logP[i] - logQ[i]);
        }
        // Rounding can leave a tiny negative sum for identical distributions; KL is >= 0.
        return Math.max(0, s);
    }

    /** KL(softmax(p) || softmax(q)) from logits. */
    public static double klFromLogits(float[] p, float[] q) {
        return kl(logSoftmax(p), logSoftmax(q));
    }

    /** -log softmax(logits)[target]: one token's negative log-likelihood. */
    public static double nll(float[] logits, int offset, int length, int target) {
        if (target < 0 || target >= length) throw new IllegalArgumentException("target " + target + " outside [0, " + length + ")");
        return logSumExp(logits, offset, length) - logits[offset + target];
    }

    /** First index of the maximum. */
    public static int argmax(float[] v, int offset, int length) {
        return CtcGreedyDecoder.argmax(v, offset, length);
    }
}
