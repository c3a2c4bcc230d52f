package dev.quant4j.report;

/**
 * A measured value with its confidence interval (bounds equal to the value when none was computed).
 */
public record Estimate(double value, double low, double high) {
    public Estimate {
        Check.finite(value, "value");
        Check.finite(low, "low");
        Check.finite(high, "high");
        if (low > high) throw new IllegalArgumentException("interval bounds reversed: [" + low + ", " + high + "]");
    }

    /** A value without an interval. */
    public static Estimate of(double value) {
        return new Estimate(value, value, value);
    }

    public boolean hasInterval() {
        return low != value || high != value;
    }
}
