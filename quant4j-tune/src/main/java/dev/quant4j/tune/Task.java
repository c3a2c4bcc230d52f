package dev.quant4j.tune;

import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.graph.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on held-out samples with a task metric. A sample's outputs are first reduced to
 * what the metric needs ({@code R}: the class scores, the decoded text, an embedding, a detection
 * score), so that the float reference's reductions can be cached once and compared with every
 * candidate's on the same samples.
 *
 * @param <R> one sample's reduced outputs
 */
public interface Task<R> {

    /** e.g. "Fashion-MNIST top-1". */
    String name();

    Metric metric();

    /** Number of evaluation samples. */
    int size();

    /** The model inputs of sample {@code i}. */
    Map<String, Tensor> feeds(int i);

    /** Sample {@code i}'s outputs reduced to what the metric needs. */
    R reduce(int i, Map<String, Tensor> outputs);

    /**
     * The metric over the samples as a statistic the bootstrap can resample. {@code reference} is the
     * float model's reductions on the same samples (agreement metrics compare with it; labelled
     * metrics ignore it).
     */
    SampleStatistic statistic(List<R> candidate, List<R> reference);

    /** The same task on its first {@code n} samples. */
    Task<R> limit(int n);
}
