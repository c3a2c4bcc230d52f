package dev.quant4j.eval;

/** The standard normal distribution's CDF and quantile, as the BCa interval needs them. */
public final class Normal {
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Normal() {}

    /**
     * Phi(x) by Marsaglia's series Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...): every term
     * has the sign of x, so the sum itself does not cancel; the result is accurate to ~1e-15
     * absolute (not relative: far in the lower tail, below about -6, only a few digits remain).
     */
    public static double cdf(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x < -37) return 0.0;
        if (x > 37) return 1.0;
        double term = x, sum = x, x2 = x * x;
        for (int i = 3; i < 2000 && Math.abs(term) > 1e-17 * Math.abs(sum); i += 2) {
            term *= x2 / i;
            sum += term;
        }
        double p = 0.5 + sum * INV_SQRT_2PI * Math.exp(-0.5 * x2);
        return Math.min(1.0, Math.max(0.0, p));
    }

    /**
     * Phi^-1(p) by bisection on {@link #cdf}: slow compared with a rational approximation but
     * needs no fitted coefficients, and a bootstrap calls it only a handful of times.
     */
    public static double quantile(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        if (p == 0) return Double.NEGATIVE_INFINITY;
        if (p == 1) return Double.POSITIVE_INFINITY;
        double lo = -38, hi = 38;
        for (int i = 0; i < 200 && hi - lo > 1e-14; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
