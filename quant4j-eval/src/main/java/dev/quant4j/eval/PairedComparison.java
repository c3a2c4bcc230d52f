package dev.quant4j.eval;

/**
 * Two models' metric on the same samples, and their difference with a paired-bootstrap interval.
 *
 * @param a          model A's metric (e.g. the fp32 reference)
 * @param b          model B's metric (e.g. the quantized model)
 * @param difference a - b, its interval from resampling sample indices once for both models
 * @param mcNemar    McNemar's exact test when the metric is accuracy, otherwise null
 */
public record PairedComparison(MetricResult a, MetricResult b, MetricResult difference, McNemar mcNemar) {

    /** Compares any two statistics over the same samples. */
    public static PairedComparison of(SampleStatistic a, SampleStatistic b, Bootstrap bootstrap) {
        return new PairedComparison(bootstrap.percentile(a), bootstrap.percentile(b),
                bootstrap.pairedDifference(a, b), null);
    }

    /** Compares accuracies from per-sample correctness, adding McNemar's exact test. */
    public static PairedComparison accuracy(boolean[] correctA, boolean[] correctB, Bootstrap bootstrap) {
        PairedComparison p = of(SampleStatistic.mean(indicator(correctA)), SampleStatistic.mean(indicator(correctB)), bootstrap);
        return new PairedComparison(p.a, p.b, p.difference, McNemar.exact(correctA, correctB));
    }

    static double[] indicator(boolean[] flags) {
        double[] v = new double[flags.length];
        for (int i = 0; i < flags.length; i++) v[i] = flags[i] ? 1 : 0;
        return v;
    }
}
