package dev.quant4j.eval;

import java.util.Locale;

/**
 * A metric's value on the evaluation samples with its confidence interval.
 *
 * @param value  the metric on all samples (the point estimate)
 * @param ciLow  lower end of the confidence interval (NaN when it could not be estimated)
 * @param ciHigh upper end of the confidence interval
 * @param n      number of samples the metric was computed on
 * @param method how the interval was obtained, e.g. "percentile bootstrap B=2000 95% seed=1"
 */
public record MetricResult(double value, double ciLow, double ciHigh, int n, String method) {

    public MetricResult {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (method == null) throw new IllegalArgumentException("method is null");
    }

    /** True when the interval contains x (inclusive). */
    public boolean covers(double x) {
        return ciLow <= x && x <= ciHigh;
    }

    public double width() {
        return ciHigh - ciLow;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.6g [%.6g, %.6g] (n=%d, %s)", value, ciLow, ciHigh, n, method);
    }
}
