package dev.quant4j.tune.auto;

import dev.quant4j.eval.MetricResult;
import java.util.Locale;

/**
 * How much worse than the fp32 reference a candidate may score on the held-out data: a bound on
 * {@link Measurement#drop()} (positive = worse, in the metric's units, e.g. 0.005 = 0.5 CER points).
 * A relative bound scales {@code maxDrop} by the reference value (0.01 = "at most 1% of the
 * reference"). With {@code upperConfidence} the upper end of the drop's paired interval must lie
 * within the bound, not just its point estimate.
 */
public record MetricBound(double maxDrop, boolean relative, boolean upperConfidence) {
    public MetricBound {
        if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) throw new IllegalArgumentException("maxDrop must be a finite number >= 0, got " + maxDrop);
    }

    public static MetricBound absolute(double maxDrop) { return new MetricBound(maxDrop, false, false); }

    public static MetricBound relative(double maxDrop) { return new MetricBound(maxDrop, true, false); }

    /** The same bound judged on the upper end of the drop's confidence interval. */
    public MetricBound conservative() { return new MetricBound(maxDrop, relative, true); }

    /** The allowed drop given the reference's metric value. */
    public double allowed(double reference) { return relative ? maxDrop * Math.abs(reference) : maxDrop; }

    /** Whether {@code candidate} meets the bound relative to {@code reference}, and why. */
    public Verdict judge(Measurement reference, Measurement candidate) {
        MetricResult d = candidate.drop();
        double allowed = allowed(reference.metric().value());
        double judged = upperConfidence ? d.ciHigh() : d.value();
        boolean ok = !Double.isNaN(judged) && judged <= allowed;
        String what = upperConfidence ? "drop CI upper end " : "drop ";
        return new Verdict(ok, allowed, String.format(Locale.ROOT, "%s%.4g %s allowed %.4g (drop %.4g [%.4g, %.4g], n=%d)",
                what, judged, ok ? "<=" : ">", allowed, d.value(), d.ciLow(), d.ciHigh(), d.n()));
    }

    /** The outcome of {@link #judge}. */
    public record Verdict(boolean meets, double allowed, String reason) {}
}
