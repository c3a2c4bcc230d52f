package dev.quant4j.runtime.ops;

/**
 * The error function in double precision (the JDK has none), from two classical expansions:
 *
 * <pre>
 *   |x| &lt; 3:   erf(x)  = 2/√π · e^(−x²) · Σ_{n≥0} 2ⁿ x^(2n+1) / (1·3·5···(2n+1))   (all terms positive)
 *   |x| ≥ 3:   erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))))  (continued fraction)
 * </pre>
 *
 * The series has no cancellation, so it is accurate to a few ulp; the continued fraction converges
 * fast for x ≥ 3, and beyond |x| = 6 erf is ±1 in double.
 */
final class Erf {
    private Erf() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double x2 = ax * ax, term = ax, sum = ax;
            for (int n = 1; n < 100; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else if (ax < 6) {
            r = 1 - erfcLarge(ax);
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x ≥ 3 by the continued fraction, evaluated from the tail. */
    private static double erfcLarge(double x) {
        double t = x;
        for (int k = 60; k >= 1; k--) t = x + (k * 0.5) / t;
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / t;
    }
}
