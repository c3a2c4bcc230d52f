package dev.quant4j.train.quant;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds an inference-mode BatchNormalization into the Conv before it, when the Conv's output feeds
 * only that BatchNormalization and all weights are initializers:
 * <pre>
 *   a[m] = γ[m] / √(var[m] + ε)
 *   W'[m, ·] = W[m, ·] · a[m]        b'[m] = (b[m] − mean[m]) · a[m] + β[m]
 * </pre>
 * Changes the model in place and returns how many were folded. Folding happens in float64.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    public static int apply(Model model) {
        Graph g = model.graph();
        List<Node> folded = new ArrayList<>();
        for (Node bn : List.copyOf(g.nodes())) {
            if (!bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1 || bn.attributes().getInt("training_mode", 0) != 0) continue;
            Node conv = g.producer(bn.input(0));
            if (conv == null || !conv.opType().equals("Conv") || g.consumers(conv.output(0)).size() != 1 || g.isGraphOutput(conv.output(0))) continue;
            Tensor w = g.initializers().get(conv.input(1));
            Tensor[] p = new Tensor[4];
            boolean constant = w != null && !g.inputNames().contains(conv.input(1));
            for (int i = 0; i < 4; i++) {
                p[i] = g.initializers().get(bn.input(i + 1));
                constant &= p[i] != null;
            }
            Tensor b = conv.hasInput(2) ? g.initializers().get(conv.input(2)) : null;
            if (!constant || (conv.hasInput(2) && b == null)) continue;
            double eps = bn.attributes().getFloat("epsilon", 1e-5f);
            float[] wv = w.floats(), gamma = p[0].floats(), beta = p[1].floats(), mean = p[2].floats(), var = p[3].floats();
            int m = gamma.length, per = wv.length / m;
            float[] nw = new float[wv.length], nb = new float[m];
            for (int j = 0; j < m; j++) {
                double a = gamma[j] / Math.sqrt(var[j] + eps);
                for (int k = 0; k < per; k++) nw[j * per + k] = (float) (wv[j * per + k] * a);
                nb[j] = (float) (((b == null ? 0 : b.floats()[j]) - mean[j]) * a + beta[j]);
            }
            String wName = g.uniqueName(conv.input(1) + "_folded"), bName = g.uniqueName(conv.name() + "_bias_folded");
            g.initializers().put(wName, Tensor.of(nw, w.shape()));
            g.initializers().put(bName, Tensor.of(nb, m));
            conv.setInput(1, wName);
            if (conv.hasInput(2)) conv.setInput(2, bName); else conv.addInput(bName);
            String out = bn.output(0);
            g.removeNode(bn);
            conv.setOutput(0, out);
            folded.add(bn);
        }
        if (!folded.isEmpty()) dropUnused(g);
        return folded.size();
    }

    /** Initializers no node reads any more (the BN parameters and the unfolded weights). */
    static void dropUnused(Graph g) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Node n : g.nodes()) used.addAll(n.inputs());
        used.addAll(g.outputNames());
        g.initializers().keySet().removeIf(k -> !used.contains(k));
        g.inputs().removeIf(v -> !used.contains(v.name()));
    }
}
