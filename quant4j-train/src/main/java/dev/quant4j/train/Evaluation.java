package dev.quant4j.train;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import java.util.Map;

/** Top-1 accuracy and mean negative log-likelihood of a classifier model in quant4j's runtime, in batches. */
public final class Evaluation {
    private Evaluation() {}

    /**
     * Accuracy, and the mean −log p(label) over the set (the model's outputs are read as
     * probabilities when it ends in Softmax, else as logits): it moves where accuracy saturates.
     */
    public record Scores(double accuracy, double meanNll, int n) {}

    public static double accuracy(Model model, ImageSet data, int batch) { return scores(model, data, batch).accuracy(); }

    public static Scores scores(Model model, ImageSet data, int batch) {
        String in = model.graph().feedInputs().get(0).name(), out = model.graph().outputNames().get(0);
        Node last = model.graph().producer(out);
        boolean probabilities = last != null && last.opType().equals("Softmax");
        int correct = 0, n = data.size(), sz = data.itemSize();
        double nll = 0;
        try (Session s = Session.create(model)) {
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                float[] x = new float[m * sz];
                System.arraycopy(data.pixels(), from * sz, x, 0, m * sz);
                float[] y = s.run(Map.of(in, Tensor.of(x, data.batchShape(m)))).get(out).floats();
                int classes = y.length / m;
                for (int i = 0; i < m; i++) {
                    int o = i * classes, label = data.labels()[from + i], arg = 0;
                    for (int j = 1; j < classes; j++) if (y[o + j] > y[o + arg]) arg = j;
                    if (arg == label) correct++;
                    if (probabilities) nll -= Math.log(Math.max(y[o + label], Float.MIN_NORMAL));
                    else {
                        double max = y[o + arg], sum = 0;
                        for (int j = 0; j < classes; j++) sum += Math.exp(y[o + j] - max);
                        nll += max + Math.log(sum) - y[o + label];
                    }
                }
            }
        }
        return new Scores((double) correct / n, nll / n, n);
    }
}
