package dev.quant4j.train;

import dev.quant4j.graph.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The main backward rules against central differences of float64 evaluators of the operators'
 * formulas ({@link Ref64}), with tolerances ~100× tighter than the fp32 checks of
 * {@link GradRulesTest}; each reference's forward is first matched to the runtime's.
 */
class GradRulesFloat64Test {
    private static long[] s(long... d) { return d; }

    @Test void conv() {
        new GradCheck("Conv").attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L)
                .input(s(2, 3, 5, 5), -1, 1).input(s(4, 3, 3, 3), -1, 1).input(s(4), -1, 1)
                .reference(x -> Ref64.conv(x[0], s(2, 3, 5, 5), x[1], s(4, 3, 3, 3), x[2], new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 1))
                .run();
        new GradCheck("Conv").attr("kernel_shape", 2L, 2L).attr("strides", 2L, 1L).attr("dilations", 1L, 2L).attr("group", 2L)
                .attr("pads", 0L, 1L, 1L, 0L).input(s(2, 4, 6, 5), -1, 1).input(s(6, 2, 2, 2), -1, 1)
                .reference(x -> Ref64.conv(x[0], s(2, 4, 6, 5), x[1], s(6, 2, 2, 2), null, new int[] {2, 1}, new int[] {0, 1, 1, 0}, new int[] {1, 2}, 2))
                .run();
        // depthwise, as in MobileNet
        new GradCheck("Conv").attr("kernel_shape", 3L, 3L).attr("strides", 2L, 2L).attr("pads", 1L, 1L, 1L, 1L).attr("group", 3L)
                .input(s(2, 3, 6, 7), -1, 1).input(s(3, 1, 3, 3), -1, 1).input(s(3), -1, 1)
                .reference(x -> Ref64.conv(x[0], s(2, 3, 6, 7), x[1], s(3, 1, 3, 3), x[2], new int[] {2, 2}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, 3))
                .run();
    }

    @Test void gemm() {
        new GradCheck("Gemm").attr("transA", 1L).attr("transB", 1L).attr("alpha", 0.7f).attr("beta", 1.3f)
                .input(s(4, 3), -1, 1).input(s(5, 4), -1, 1).input(s(5), -1, 1)
                .reference(x -> Ref64.gemm(x[0], s(4, 3), true, x[1], s(5, 4), true, x[2], s(5), 0.7f, 1.3f)).run();
        new GradCheck("Gemm").input(s(3, 4), -1, 1).input(s(4, 5), -1, 1).input(s(3, 1), -1, 1)
                .reference(x -> Ref64.gemm(x[0], s(3, 4), false, x[1], s(4, 5), false, x[2], s(3, 1), 1, 1)).run();
    }

    @Test void matMul() {
        new GradCheck("MatMul").input(s(2, 3, 4), -1, 1).input(s(4, 5), -1, 1).reference(x -> Ref64.matmul(x[0], s(2, 3, 4), x[1], s(4, 5))).run();
        new GradCheck("MatMul").input(s(2, 3, 4), -1, 1).input(s(2, 4, 5), -1, 1).reference(x -> Ref64.matmul(x[0], s(2, 3, 4), x[1], s(2, 4, 5))).run();
    }

    @Test void softmaxAndLogSoftmax() {
        new GradCheck("Softmax").input(s(2, 3, 5), -2, 2).reference(x -> Ref64.softmax(x[0], s(2, 3, 5), 2, false)).run();
        new GradCheck("Softmax").attr("axis", 1L).input(s(2, 3, 5), -2, 2).reference(x -> Ref64.softmax(x[0], s(2, 3, 5), 1, false)).run();
        new GradCheck("LogSoftmax").input(s(2, 3, 5), -2, 2).reference(x -> Ref64.softmax(x[0], s(2, 3, 5), 2, true)).run();
        new GradCheck("LogSoftmax").attr("axis", 0L).input(s(2, 3, 5), -2, 2).reference(x -> Ref64.softmax(x[0], s(2, 3, 5), 0, true)).run();
    }

    @Test void layerNorm() {
        new GradCheck("LayerNormalization").attr("axis", -1L).attr("epsilon", 1e-5f)
                .input(s(2, 3, 6), -2, 2).input(s(6), 0.5, 1.5).input(s(6), -1, 1)
                .reference(x -> Ref64.layerNorm(x[0], 6, x[1], x[2], 1e-5f)).run();
        new GradCheck("LayerNormalization").attr("axis", 1L).input(s(2, 3, 4), -2, 2).input(s(3, 4), 0.5, 1.5)
                .reference(x -> Ref64.layerNorm(x[0], 12, x[1], null, 1e-5f)).run();
    }

    @Test void batchNorm() {
        float[] zero = {0, 0, 0}, one = {1, 1, 1};
        new GradCheck("BatchNormalization").attr("training_mode", 1L).outputs(3)
                .input(s(4, 3, 2, 3), -2, 2).input(s(3), 0.5, 1.5).input(s(3), -1, 1)
                .constant(Tensor.of(zero, 3)).constant(Tensor.of(one, 3))
                .reference(x -> Ref64.batchNorm(x[0], s(4, 3, 2, 3), x[1], x[2], null, null, 1e-5f, true)).run();
        new GradCheck("BatchNormalization")
                .input(s(2, 3, 2, 2), -2, 2).input(s(3), 0.5, 1.5).input(s(3), -1, 1).input(s(3), -0.5, 0.5).input(s(3), 0.5, 2)
                .reference(x -> Ref64.batchNorm(x[0], s(2, 3, 2, 2), x[1], x[2], x[3], x[4], 1e-5f, false)).run();
    }

    @Test void pools() {
        new GradCheck("MaxPool").attr("kernel_shape", 2L, 2L).attr("strides", 2L, 2L).input(distinct(2 * 3 * 4 * 4), 2, 3, 4, 4)
                .reference(x -> Ref64.pool(x[0], s(2, 3, 4, 4), true, new int[] {2, 2}, new int[] {2, 2}, new int[4], false)).run();
        new GradCheck("MaxPool").attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L).input(distinct(2 * 5 * 5), 1, 2, 5, 5)
                .reference(x -> Ref64.pool(x[0], s(1, 2, 5, 5), true, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, false)).run();
        new GradCheck("AveragePool").attr("kernel_shape", 3L, 2L).attr("strides", 2L, 1L).attr("pads", 1L, 0L, 1L, 1L)
                .input(s(2, 2, 5, 4), -1, 1)
                .reference(x -> Ref64.pool(x[0], s(2, 2, 5, 4), false, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0, 1, 1}, false)).run();
        new GradCheck("AveragePool").attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L).attr("count_include_pad", 1L)
                .input(s(1, 2, 4, 4), -1, 1)
                .reference(x -> Ref64.pool(x[0], s(1, 2, 4, 4), false, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, true)).run();
        new GradCheck("GlobalAveragePool").input(s(2, 3, 3, 4), -1, 1).reference(x -> Ref64.globalAveragePool(x[0], s(2, 3, 3, 4))).run();
    }

    /** A shuffled ladder of values 0.05 apart (no ties for a window's maximum). */
    private static float[] distinct(int n) {
        float[] v = new float[n];
        int[] p = dev.quant4j.data.Permutation.of(n, 3);
        for (int i = 0; i < n; i++) v[i] = -1 + 0.05f * p[i];
        return v;
    }
}
