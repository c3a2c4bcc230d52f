package dev.quant4j.quantize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;

/**
 * Folds an inference-mode BatchNormalization into the Conv before it, before quantization: a Conv
 * whose output is normalized per channel afterwards has per-channel output ranges far apart, which
 * one per-tensor output scale (QOperator form) cannot hold. Weights and statistics may be
 * initializers or Constant nodes (exported models such as PP-OCR keep them in Constant nodes).
 *
 * <pre>
 *   a[m] = gamma[m] / sqrt(var[m] + epsilon)
 *   W'[m, ...] = W[m, ...] * a[m]        b'[m] = (b[m] - mean[m]) * a[m] + beta[m]      (float64)
 * </pre>
 *
 * Folds only where the result is the same function: the Conv's output feeds nothing but that
 * BatchNormalization and is no graph output, and every parameter is constant.
 */
public final class ConvBatchNormFolder {
    private ConvBatchNormFolder() {}

    /** Folds in place; returns the number of BatchNormalization nodes removed. */
    public static int apply(Model model) {
        Graph g = model.graph();
        int folded = 0;
        for (Node bn : List.copyOf(g.nodes())) {
            if (!bn.isOnnxDomain() || !bn.opType().equals("BatchNormalization") || bn.outputs().size() != 1
                    || bn.attributes().getInt("training_mode", 0) != 0 || bn.attributes().getInt("spatial", 1) != 1) continue;
            Node conv = g.producer(bn.input(0));
            if (conv == null || !conv.isOnnxDomain() || !conv.opType().equals("Conv") || g.consumers(conv.output(0)).size() != 1
                    || g.isGraphOutput(conv.output(0))) continue;
            Tensor w = ConstantWeights.floatConstant(g, conv.input(1));
            Tensor b = conv.hasInput(2) ? ConstantWeights.floatConstant(g, conv.input(2)) : null;
            Tensor[] p = new Tensor[4];
            boolean constant = w != null && (b != null || !conv.hasInput(2));
            for (int i = 0; i < 4; i++) constant &= (p[i] = ConstantWeights.floatConstant(g, bn.input(i + 1))) != null;
            if (!constant) continue;
            float[] wv = w.floats(), gamma = p[0].floats(), beta = p[1].floats(), mean = p[2].floats(), var = p[3].floats();
            int m = gamma.length;
            if (w.dim(0) != m || beta.length != m || mean.length != m || var.length != m || (b != null && b.elementCount() != m)) continue;
            double eps = bn.attributes().getFloat("epsilon", 1e-5f);
            int per = wv.length / m;
            float[] w2 = new float[wv.length], b2 = new float[m];
            float[] bv = b == null ? new float[m] : b.floats();
            for (int c = 0; c < m; c++) {
                double a = gamma[c] / Math.sqrt((double) var[c] + eps);
                for (int i = 0; i < per; i++) w2[c * per + i] = (float) (wv[c * per + i] * a);
                b2[c] = (float) ((bv[c] - (double) mean[c]) * a + beta[c]);
            }
            String base = conv.name().isEmpty() ? conv.output(0) : conv.name();
            conv.setInput(1, ConstantWeights.addInitializer(g, base + "_W_bn_folded", Tensor.of(w2, w.shape())));
            conv.setInput(2, ConstantWeights.addInitializer(g, base + "_B_bn_folded", Tensor.of(b2, m)));
            String y = bn.output(0);
            g.removeNode(bn);
            conv.setOutput(0, y);
            folded++;
        }
        g.eliminateDeadNodes();
        return folded;
    }
}
