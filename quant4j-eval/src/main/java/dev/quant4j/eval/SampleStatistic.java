package dev.quant4j.eval;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A metric computed from per-sample records, evaluated on a weighted copy of the samples.
 *
 * <p>The weight of sample i is how many times a bootstrap resample drew it (all ones for the
 * metric itself). Expressing every metric this way — a mean of per-sample values, a ratio of sums
 * (CER = sum of edits / sum of reference lengths), or a rank statistic (AUC) — lets one bootstrap
 * routine serve all of them, and lets a paired comparison apply the same resample to two models.
 */
public interface SampleStatistic {

    /** Number of samples. */
    int size();

    /** The metric on the samples, sample i counted counts[i] times. */
    double evaluate(int[] counts);

    /** The metric on all samples, each once. */
    default double value() {
        int[] ones = new int[size()];
        Arrays.fill(ones, 1);
        return evaluate(ones);
    }

    /** This statistic followed by a transform (e.g. exp of a mean NLL = perplexity). */
    default SampleStatistic map(DoubleUnaryOperator f) {
        SampleStatistic self = this;
        return new SampleStatistic() {
            @Override public int size() { return self.size(); }
            @Override public double evaluate(int[] counts) { return f.applyAsDouble(self.evaluate(counts)); }
        };
    }

    /** Weighted mean of per-sample values. */
    static SampleStatistic mean(double[] values) {
        return new SampleStatistic() {
            @Override public int size() { return values.length; }
            @Override public double evaluate(int[] counts) {
                check(counts, values.length);
                double sum = 0;
                long w = 0;
                for (int i = 0; i < values.length; i++) {
                    if (counts[i] != 0) {
                        sum += counts[i] * values[i];
                        w += counts[i];
                    }
                }
                return w == 0 ? Double.NaN : sum / w;
            }
        };
    }

    /** Ratio of weighted sums, sum(num) / sum(den): a pooled rate such as CER or MSE per element. */
    static SampleStatistic ratio(double[] numerators, double[] denominators) {
        if (numerators.length != denominators.length) {
            throw new IllegalArgumentException("numerators (" + numerators.length + ") and denominators ("
                    + denominators.length + ") differ in length");
        }
        return new SampleStatistic() {
            @Override public int size() { return numerators.length; }
            @Override public double evaluate(int[] counts) {
                check(counts, numerators.length);
                double num = 0, den = 0;
                for (int i = 0; i < numerators.length; i++) {
                    if (counts[i] != 0) {
                        num += counts[i] * numerators[i];
                        den += counts[i] * denominators[i];
                    }
                }
                return den == 0 ? Double.NaN : num / den;
            }
        };
    }

    private static void check(int[] counts, int n) {
        if (counts.length != n) {
            throw new IllegalArgumentException("counts has " + counts.length + " entries for " + n + " samples");
        }
    }
}
