package dev.quant4j.tune.task;

import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.eval.TensorAgreement;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Metric;
import java.util.List;
import java.util.Map;

/**
 * Mean cosine similarity of sentence embeddings to the fp32 model's: the embedding is the mean over
 * token positions of a [1, tokens, dim] hidden state (sentence-transformers' mean pooling; with one
 * unpadded sentence per run every position is a real token).
 */
public final class EmbeddingTask<T> extends DataTask<T, float[]> {
    private static final Metric COSINE = new Metric("mean cosine to fp32", "cosine", true);
    private final String output;

    public EmbeddingTask(String name, EvalData<T> data, String output) {
        super(name, data);
        this.output = output;
    }

    @Override public Metric metric() { return COSINE; }

    @Override
    public float[] reduce(int i, Map<String, Tensor> outputs) {
        Tensor h = output(outputs, output);
        if (h.rank() != 3 || h.dim(0) != 1) throw new IllegalArgumentException("hidden state '" + output + "' must be [1, tokens, dim], got " + java.util.Arrays.toString(h.shape()));
        return meanPool(h.floats(), (int) h.dim(1), (int) h.dim(2));
    }

    /** Mean over rows of a row-major [rows][dim] matrix, summed in double. */
    static float[] meanPool(float[] h, int rows, int dim) {
        double[] sum = new double[dim];
        for (int r = 0; r < rows; r++) for (int j = 0; j < dim; j++) sum[j] += h[r * dim + j];
        float[] e = new float[dim];
        for (int j = 0; j < dim; j++) e[j] = (float) (sum[j] / rows);
        return e;
    }

    @Override
    public SampleStatistic statistic(List<float[]> candidate, List<float[]> reference) {
        TensorAgreement a = new TensorAgreement();
        for (int i = 0; i < candidate.size(); i++) a.add(reference.get(i), candidate.get(i));
        return a.cosineSimilarity();
    }

    @Override public EmbeddingTask<T> limit(int n) { return new EmbeddingTask<>(name, data.limit(n), output); }
}
