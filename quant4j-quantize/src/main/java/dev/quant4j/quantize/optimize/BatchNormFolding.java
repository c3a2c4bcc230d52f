package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;

/**
 * Folds an inference-mode BatchNormalization into the Conv before it (when the Conv's output feeds
 * only the BatchNormalization), so that cross-layer equalization and weight quantization see the
 * weights the network really applies:
 *
 * <pre>
 *   BN(y) = γ·(y − μ)/sqrt(σ² + ε) + β     k_c = γ_c / sqrt(σ²_c + ε)
 *   W'[c] = k_c·W[c]     b'_c = k_c·(b_c − μ_c) + β_c
 * </pre>
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** Folds every foldable Conv → BatchNormalization pair in place; returns how many were folded. */
    public static int apply(Model model) {
        Graph g = model.graph();
        int folded = 0;
        for (Node bn : List.copyOf(g.nodes())) {
            if (!bn.isOnnxDomain() || !bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1) continue;
            if (bn.attributes().getInt("training_mode", 0) != 0) continue;
            Node conv = g.producer(bn.input(0));
            if (conv == null || !conv.isOnnxDomain() || !conv.opType().equals("Conv") || g.consumers(conv.output(0)).size() != 1
                    || g.isGraphOutput(conv.output(0))) continue;
            Tensor w = Constants.floatConstant(g, conv.input(1));
            Tensor b = conv.hasInput(2) ? Constants.floatConstant(g, conv.input(2)) : null;
            Tensor[] p = new Tensor[4];
            boolean constant = w != null && (b != null || !conv.hasInput(2));
            for (int i = 0; i < 4; i++) { p[i] = Constants.floatConstant(g, bn.input(i + 1)); constant &= p[i] != null; }
            if (!constant) continue;
            int cout = Math.toIntExact(w.dim(0));
            float[] gamma = p[0].floats(), beta = p[1].floats(), mean = p[2].floats(), var = p[3].floats();
            if (gamma.length != cout) continue;
            float eps = bn.attributes().getFloat("epsilon", 1e-5f);
            float[] wf = w.floats(), bf = b == null ? new float[cout] : b.floats();
            int inner = wf.length / cout;
            for (int c = 0; c < cout; c++) {
                double k = gamma[c] / Math.sqrt((double) var[c] + eps);
                for (int i = c * inner; i < (c + 1) * inner; i++) wf[i] = (float) (k * wf[i]);
                bf[c] = (float) (k * (bf[c] - mean[c]) + beta[c]);
            }
            Constants.replace(g, conv, 1, Tensor.of(wf, w.shape()));
            if (conv.hasInput(2)) Constants.replace(g, conv, 2, Tensor.of(bf, cout));
            else conv.addInput(dev.quant4j.quantize.ConstantWeights.addInitializer(g, conv.name() + "_bias", Tensor.of(bf, cout)));
            String out = bn.output(0);
            g.removeNode(bn);
            conv.setOutput(0, out);
            folded++;
        }
        if (folded > 0) g.eliminateDeadNodes();
        return folded;
    }
}
