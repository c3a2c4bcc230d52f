package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Normalizations on large shapes against ONNX Runtime, and GroupNormalization (which has no backend
 * test in ONNX 1.12) against a float64 reference written here.
 */
class NormOpsTest {
    static final double TOL = 1e-5;
    final Random r = new Random(3);

    @Test
    void layerNormLastAxisWithStatisticsOutputs() throws Exception {
        new NodeCheck("LayerNormalization").feed("x", NodeCheck.random(r, 2, 9, 384)).constant("s", NodeCheck.random(r, 384))
                .constant("b", NodeCheck.random(r, 384)).attr("epsilon", 1e-12f).outputs("y", "mean", "inv").assertMatchesOrt(2, TOL);
    }

    @Test
    void layerNormOverTwoAxes() throws Exception {
        new NodeCheck("LayerNormalization").feed("x", NodeCheck.random(r, 3, 7, 5, 6)).constant("s", NodeCheck.random(r, 5, 6))
                .attr("axis", -2).outputs("y").assertMatchesOrt(1, TOL);
    }

    @Test
    void batchNormConstantStatistics() throws Exception {
        Tensor var = Tensor.of(new float[] {0.5f, 1.5f, 2f, 0.1f, 3f, 0.7f}, 6);
        new NodeCheck("BatchNormalization").feed("x", NodeCheck.random(r, 3, 6, 17, 19)).constant("s", NodeCheck.random(r, 6))
                .constant("b", NodeCheck.random(r, 6)).constant("m", NodeCheck.random(r, 6)).constant("v", var)
                .outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void instanceNormAndLrnAndMvnLarge() throws Exception {
        Tensor x = NodeCheck.random(r, 2, 16, 20, 21);
        new NodeCheck("InstanceNormalization").feed("x", x).constant("s", NodeCheck.random(r, 16)).constant("b", NodeCheck.random(r, 16))
                .outputs("y").assertMatchesOrt(1, TOL);
        new NodeCheck("LRN").feed("x", x).attr("size", 5).attr("alpha", 0.01f).attr("beta", 0.6f).attr("bias", 1.5f)
                .outputs("y").assertMatchesOrt(1, TOL);
        new NodeCheck("MeanVarianceNormalization").feed("x", x).ints("axes", 1, 3).outputs("y").assertMatchesOrt(1, TOL);
    }

    @Test
    void groupNormPerGroupAndPerChannelAgainstFloat64() {
        Tensor x = NodeCheck.random(r, 2, 12, 7, 9);
        for (long opset : new long[] {18, 21}) {
            int groups = 4, n = opset == 18 ? groups : 12;
            Tensor s = NodeCheck.random(r, n), b = NodeCheck.random(r, n);
            NodeCheck c = new NodeCheck("GroupNormalization").opset(opset).feed("x", x).constant("s", s).constant("b", b)
                    .attr("num_groups", groups).attr("epsilon", 1e-3f).outputs("y");
            NodeCheck.assertClose("y", groupNormReference(x, s.floats(), b.floats(), groups, 1e-3), c.runQuant4j(2).get(0), TOL);
        }
    }

    private static Tensor groupNormReference(Tensor x, float[] scale, float[] bias, int groups, double eps) {
        long[] sh = x.shape();
        int n = (int) sh[0], c = (int) sh[1], inner = (int) (sh[2] * sh[3]), cg = c / groups;
        float[] xv = x.floats(), y = new float[xv.length];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < groups; g++) {
                int o = (i * c + g * cg) * inner, len = cg * inner;
                double mean = 0, var = 0;
                for (int k = 0; k < len; k++) mean += xv[o + k];
                mean /= len;
                for (int k = 0; k < len; k++) var += (xv[o + k] - mean) * (xv[o + k] - mean);
                var /= len;
                for (int k = 0; k < len; k++) {
                    int ch = g * cg + k / inner, p = scale.length == c ? ch : g;
                    y[o + k] = (float) ((xv[o + k] - mean) / Math.sqrt(var + eps) * scale[p] + bias[p]);
                }
            }
        }
        return Tensor.of(y, sh);
    }
}
