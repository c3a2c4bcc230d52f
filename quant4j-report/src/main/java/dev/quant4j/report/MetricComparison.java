package dev.quant4j.report;

/**
 * A task metric on the reference model and on a candidate, measured on the same samples.
 *
 * @param metric         e.g. "top-1 accuracy", "CER", "cosine similarity"
 * @param dataset        where the samples came from (held-out split)
 * @param reference      label of the reference model (a {@link ModelSummary#label()})
 * @param candidate      label of the compared model
 * @param samples        number of paired samples
 * @param confidence     level of the intervals, e.g. 0.95
 * @param higherIsBetter true for accuracy, false for error rates
 * @param before         the reference's value with its interval
 * @param after          the candidate's value with its interval
 * @param delta          after - before, with the paired interval
 */
public record MetricComparison(String metric, String dataset, String reference, String candidate, int samples,
                               double confidence, boolean higherIsBetter,
                               Estimate before, Estimate after, Estimate delta) {
    public MetricComparison {
        Check.text(metric, "metric");
        dataset = Check.optionalText(dataset);
        Check.text(reference, "reference");
        Check.text(candidate, "candidate");
        Check.nonNegative(samples, "samples");
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence not in (0,1): " + confidence);
        java.util.Objects.requireNonNull(before, "before");
        java.util.Objects.requireNonNull(after, "after");
        java.util.Objects.requireNonNull(delta, "delta");
    }
}
