package dev.quant4j.train;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import java.util.Map;

/** Top-1 accuracy of a classifier model in quant4j's runtime, in batches. */
public final class Evaluation {
    private Evaluation() {}

    public static double accuracy(Model model, ImageSet data, int batch) {
        String in = model.graph().feedInputs().get(0).name(), out = model.graph().outputNames().get(0);
        int correct = 0, n = data.size(), sz = data.itemSize();
        try (Session s = Session.create(model)) {
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                float[] x = new float[m * sz];
                System.arraycopy(data.pixels(), from * sz, x, 0, m * sz);
                float[] y = s.run(Map.of(in, Tensor.of(x, data.batchShape(m)))).get(out).floats();
                int classes = y.length / m;
                for (int i = 0; i < m; i++) {
                    int arg = 0;
                    for (int j = 1; j < classes; j++) if (y[i * classes + j] > y[i * classes + arg]) arg = j;
                    if (arg == data.labels()[from + i]) correct++;
                }
            }
        }
        return (double) correct / n;
    }
}
