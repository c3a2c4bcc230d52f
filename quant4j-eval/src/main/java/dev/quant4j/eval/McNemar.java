package dev.quant4j.eval;

/**
 * McNemar's exact test for two models' correctness on the same samples.
 *
 * <p>Only the discordant samples carry information: under the null hypothesis (equal accuracy)
 * each of the onlyA + onlyB discordant samples is equally likely to favour either model, so
 * onlyA ~ Binomial(onlyA + onlyB, 1/2). The two-sided p-value doubles the smaller tail.
 *
 * @param onlyA  samples model A got right and model B got wrong
 * @param onlyB  samples model B got right and model A got wrong
 * @param pValue exact two-sided p-value (1 when there are no discordant samples)
 */
public record McNemar(int onlyA, int onlyB, double pValue) {

    public static McNemar exact(boolean[] correctA, boolean[] correctB) {
        if (correctA.length != correctB.length) {
            throw new IllegalArgumentException("McNemar needs the same samples: " + correctA.length + " vs " + correctB.length);
        }
        int onlyA = 0, onlyB = 0;
        for (int i = 0; i < correctA.length; i++) {
            if (correctA[i] && !correctB[i]) onlyA++;
            if (correctB[i] && !correctA[i]) onlyB++;
        }
        return of(onlyA, onlyB);
    }

    public static McNemar of(int onlyA, int onlyB) {
        if (onlyA < 0 || onlyB < 0) throw new IllegalArgumentException("negative counts " + onlyA + ", " + onlyB);
        int m = onlyA + onlyB;
        int k = Math.min(onlyA, onlyB);
        // P(X <= k) for X ~ Bin(m, 1/2), summed in log space so large m does not underflow 2^-m.
        double logTail = Double.NEGATIVE_INFINITY;
        double logHalfM = -m * Math.log(2);
        for (int i = 0; i <= k; i++) {
            logTail = logAdd(logTail, logChoose(m, i) + logHalfM);
        }
        double p = m == 0 ? 1.0 : Math.min(1.0, 2 * Math.exp(logTail));
        return new McNemar(onlyA, onlyB, p);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        int kk = Math.min(k, n - k);
        for (int i = 1; i <= kk; i++) s += Math.log(n - kk + i) - Math.log(i);
        return s;
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        double hi = Math.max(a, b), lo = Math.min(a, b);
        return hi + Math.log1p(Math.exp(lo - hi));
    }
}
