package dev.quant4j.tune.auto;

import dev.quant4j.core.DataType;
import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.tune.Metric;
import dev.quant4j.tune.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A three-MatMul model built so that one layer is harmful to quantize coarsely: x[1,64] -> mm1 (64x64,
 * duplicated column pairs, so h[2i] = h[2i+1]) -> Relu -> harmful (rows 2i and 2i+1 hold M + b and
 * -M: the output is the small difference sum_i h[2i] * b[i], computed from large weights, so 4-bit
 * rounding of the large weights swamps it while 8-bit barely shows) -> mm3 (64x16). The task is the
 * cosine of each sample's output to the fp32 model's.
 */
final class ChainModel {
    static final int D = 64, OUT = 16;
    static final List<String> LAYERS = List.of("mm1", "harmful", "mm3");

    private ChainModel() {}

    static Model build(long seed) {
        Random r = new Random(seed);
        float[] w1 = new float[D * D], w2 = new float[D * D], w3 = new float[D * OUT];
        for (int k = 0; k < D; k++) for (int n = 0; n < D; n += 2) { float v = (float) r.nextGaussian() / 8; w1[k * D + n] = v; w1[k * D + n + 1] = v; }
        float m = 1f;
        for (int i = 0; i < D / 2; i++) for (int n = 0; n < D; n++) {
            w2[(2 * i) * D + n] = m + (float) (r.nextDouble() - 0.5) * 0.6f * m;
            w2[(2 * i + 1) * D + n] = -m;
        }
        for (int i = 0; i < w3.length; i++) w3[i] = (float) r.nextGaussian() / 8;
        Graph g = new Graph("chain");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 1, D));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, 1, OUT));
        g.initializers().put("W1", Tensor.of(w1, D, D));
        g.initializers().put("W2", Tensor.of(w2, D, D));
        g.initializers().put("W3", Tensor.of(w3, D, OUT));
        g.addNode(Node.of("MatMul", "mm1", List.of("x", "W1"), List.of("a")));
        g.addNode(Node.of("Relu", "relu", List.of("a"), List.of("h")));
        g.addNode(Node.of("MatMul", "harmful", List.of("h", "W2"), List.of("b")));
        g.addNode(Node.of("MatMul", "mm3", List.of("b", "W3"), List.of("y")));
        Model model = new Model(g);
        model.opsets().put("", 17L);
        return model;
    }

    static List<Map<String, Tensor>> inputs(int n, long seed) {
        Random r = new Random(seed);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[D];
            for (int j = 0; j < D; j++) x[j] = (float) r.nextGaussian();
            out.add(Map.of("x", Tensor.of(x, 1, D)));
        }
        return out;
    }

    /** Mean cosine of the output to the fp32 model's, per sample. */
    record CosineTask(List<Map<String, Tensor>> samples) implements Task<float[]> {
        @Override public String name() { return "chain output cosine"; }
        @Override public Metric metric() { return new Metric("mean cosine to fp32", "cosine", true); }
        @Override public int size() { return samples.size(); }
        @Override public Map<String, Tensor> feeds(int i) { return samples.get(i); }
        @Override public float[] reduce(int i, Map<String, Tensor> outputs) { return outputs.get("y").floats(); }
        @Override public Task<float[]> limit(int n) { return new CosineTask(samples.subList(0, n)); }

        @Override
        public SampleStatistic statistic(List<float[]> candidate, List<float[]> reference) {
            double[] c = new double[candidate.size()];
            for (int i = 0; i < c.length; i++) {
                double ab = 0, aa = 0, bb = 0;
                float[] a = candidate.get(i), b = reference.get(i);
                for (int j = 0; j < a.length; j++) { ab += a[j] * b[j]; aa += a[j] * a[j]; bb += b[j] * b[j]; }
                c[i] = ab / Math.sqrt(aa * bb);
            }
            return SampleStatistic.mean(c);
        }
    }
}
