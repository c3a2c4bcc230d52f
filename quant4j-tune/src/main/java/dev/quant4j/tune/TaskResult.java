package dev.quant4j.tune;

import dev.quant4j.eval.MetricResult;
import dev.quant4j.eval.PairedComparison;

/**
 * A candidate model's task metric next to the float reference's on the same samples.
 *
 * @param candidate  the candidate's metric with its bootstrap interval
 * @param reference  the reference's metric with its interval
 * @param comparison reference minus candidate, its interval from a paired bootstrap (the same resample for both)
 */
public record TaskResult(Metric metric, MetricResult candidate, MetricResult reference, PairedComparison comparison) {

    /** Metric drop, positive when the candidate is worse (in the metric's own units). */
    public double drop() {
        return metric.drop(reference.value(), candidate.value());
    }

    /** The drop's paired interval, oriented like {@link #drop()} (low end first). */
    public double[] dropInterval() {
        MetricResult d = comparison.difference(); // reference - candidate
        return metric.higherIsBetter() ? new double[] {d.ciLow(), d.ciHigh()} : new double[] {-d.ciHigh(), -d.ciLow()};
    }

    @Override
    public String toString() {
        double[] ci = dropInterval();
        return String.format(java.util.Locale.ROOT, "%s: %.5g [%.5g, %.5g] vs reference %.5g; drop %.5g [%.5g, %.5g] (n=%d)",
                metric.name(), candidate.value(), candidate.ciLow(), candidate.ciHigh(), reference.value(), drop(), ci[0], ci[1], candidate.n());
    }
}
