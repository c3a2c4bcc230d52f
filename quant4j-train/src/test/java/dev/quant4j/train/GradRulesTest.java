package dev.quant4j.train;

import dev.quant4j.graph.Tensor;
import org.junit.jupiter.api.Test;

/** Every backward rule against central finite differences of the runtime's forward (see {@link GradCheck}). */
class GradRulesTest {
    private static long[] s(long... d) { return d; }

    @Test void convPadded() {
        new GradCheck("Conv").attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L)
                .input(s(2, 3, 5, 5), -1, 1).input(s(4, 3, 3, 3), -1, 1).input(s(4), -1, 1).run();
    }

    @Test void convStridedDilatedGrouped() {
        new GradCheck("Conv").attr("kernel_shape", 2L, 2L).attr("strides", 2L, 1L).attr("dilations", 1L, 2L).attr("group", 2L)
                .attr("pads", 0L, 1L, 1L, 0L).input(s(2, 4, 6, 5), -1, 1).input(s(6, 2, 2, 2), -1, 1).run();
    }

    @Test void gemmTransposedWithBroadcastC() {
        new GradCheck("Gemm").attr("transA", 1L).attr("transB", 1L).attr("alpha", 0.7f).attr("beta", 1.3f)
                .input(s(4, 3), -1, 1).input(s(5, 4), -1, 1).input(s(5), -1, 1).run();
        new GradCheck("Gemm").input(s(3, 4), -1, 1).input(s(4, 5), -1, 1).input(s(3, 1), -1, 1).run();
    }

    @Test void matMul() {
        new GradCheck("MatMul").input(s(3, 4), -1, 1).input(s(4, 5), -1, 1).run();
        new GradCheck("MatMul").input(s(2, 3, 4), -1, 1).input(s(4, 5), -1, 1).run();
        new GradCheck("MatMul").input(s(2, 3, 4), -1, 1).input(s(2, 4, 5), -1, 1).run();
    }

    @Test void broadcastArithmetic() {
        new GradCheck("Add").input(s(2, 3, 4), -1, 1).input(s(3, 1), -1, 1).run();
        new GradCheck("Sub").input(s(4), -1, 1).input(s(2, 3, 4), -1, 1).run();
        new GradCheck("Mul").input(s(2, 3, 4), -1, 1).input(s(1, 3, 1), -1, 1).run();
        new GradCheck("Div").input(s(2, 3, 4), -1, 1).input(s(3, 1), 0.5, 2).run();
    }

    @Test void activations() {
        new GradCheck("Relu").inputAwayFromZero(s(3, 7), 2, 0.05).run();
        new GradCheck("LeakyRelu").attr("alpha", 0.1f).inputAwayFromZero(s(3, 7), 2, 0.05).run();
        new GradCheck("Sigmoid").input(s(3, 7), -4, 4).run();
        new GradCheck("Tanh").input(s(3, 7), -2, 2).run();
        new GradCheck("Erf").input(s(3, 7), -2, 2).run();
        new GradCheck("HardSigmoid").attr("alpha", 0.3f).attr("beta", 0.4f).input(s(3, 7), -1.2, 1.9).run();
        new GradCheck("Clip").input(s(3, 7), -2, 2).constant(Tensor.scalar(-1.2f)).constant(Tensor.scalar(0.9f)).run();
    }

    @Test void gelu() {
        new GradCheck("Gelu").input(s(3, 7), -3, 3).run();
        new GradCheck("Gelu").attr("approximate", "tanh").input(s(3, 7), -3, 3).run();
    }

    @Test void softmaxAndLogSoftmax() {
        new GradCheck("Softmax").input(s(2, 3, 5), -2, 2).run();
        new GradCheck("Softmax").attr("axis", 1L).input(s(2, 3, 5), -2, 2).run();
        new GradCheck("LogSoftmax").input(s(2, 3, 5), -2, 2).run();
        new GradCheck("LogSoftmax").attr("axis", 1L).opset(11).input(s(2, 3, 5), -2, 2).run();
    }

    @Test void batchNormTraining() {
        new GradCheck("BatchNormalization").attr("training_mode", 1L).outputs(3).step(1e-2).tolerance(3e-3, 2e-2)
                .input(s(4, 3, 2, 3), -2, 2).input(s(3), 0.5, 1.5).input(s(3), -1, 1)
                .constant(Tensor.of(new float[] {0, 0, 0}, 3)).constant(Tensor.of(new float[] {1, 1, 1}, 3)).run();
    }

    @Test void batchNormInference() {
        new GradCheck("BatchNormalization")
                .input(s(2, 3, 2, 2), -2, 2).input(s(3), 0.5, 1.5).input(s(3), -1, 1).input(s(3), -0.5, 0.5).input(s(3), 0.5, 2).run();
    }

    @Test void pools() {
        new GradCheck("MaxPool").attr("kernel_shape", 2L, 2L).attr("strides", 2L, 2L).input(distinct(2 * 3 * 4 * 4), 2, 3, 4, 4).run();
        new GradCheck("MaxPool").attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L).input(distinct(2 * 5 * 5), 1, 2, 5, 5).run();
        new GradCheck("AveragePool").attr("kernel_shape", 3L, 2L).attr("strides", 2L, 1L).attr("pads", 1L, 0L, 1L, 1L)
                .input(s(2, 2, 5, 4), -1, 1).run();
        new GradCheck("AveragePool").attr("kernel_shape", 3L, 3L).attr("pads", 1L, 1L, 1L, 1L).attr("count_include_pad", 1L)
                .input(s(1, 2, 4, 4), -1, 1).run();
        new GradCheck("GlobalAveragePool").input(s(2, 3, 3, 4), -1, 1).run();
    }

    @Test void shapes() {
        new GradCheck("Reshape").input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(4, 6)).run();
        new GradCheck("Flatten").attr("axis", 2L).input(s(2, 3, 4, 2), -1, 1).run();
        new GradCheck("Transpose").attr("perm", 2L, 0L, 1L).input(s(2, 3, 4), -1, 1).run();
        new GradCheck("Transpose").input(s(2, 3, 4, 5), -1, 1).run();
    }

    @Test void layerNormAndReduceMean() {
        new GradCheck("LayerNormalization").attr("axis", -1L).attr("epsilon", 1e-5f)
                .input(s(2, 3, 6), -2, 2).input(s(6), 0.5, 1.5).input(s(6), -1, 1).run();
        new GradCheck("LayerNormalization").attr("axis", 1L).input(s(2, 3, 4), -2, 2).input(s(3, 4), 0.5, 1.5).run();
        new GradCheck("ReduceMean").input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(1)).run();
        new GradCheck("ReduceMean").attr("keepdims", 0L).input(s(2, 3, 4), -1, 1).constant(Tensor.vectorOfLongs(0, -1)).run();
        new GradCheck("ReduceMean").opset(13).attr("axes", -1L).input(s(2, 3, 4), -1, 1).run();
    }

    @Test void powSqrtExpLog() {
        new GradCheck("Pow").input(s(2, 3), 0.5, 2).input(s(3), -1.5, 2.5).run();
        new GradCheck("Sqrt").input(s(2, 5), 0.5, 3).run();
        new GradCheck("Exp").input(s(2, 5), -1, 1).run();
        new GradCheck("Log").input(s(2, 5), 0.5, 3).run();
    }

    /** LayerNorm written the way older exporters do: ReduceMean, Sub, Pow, Add, Sqrt, Div, Mul, Add. */
    @Test void layerNormReduceMeanFormThroughTheWholeGraph() {
        NetBuilder b = new NetBuilder("ln", false);
        String x = b.input("x", 3, 5);
        String axes = b.constant("axes", Tensor.vectorOfLongs(-1));
        String mu = b.op("ReduceMean", null, x, axes);
        String d = b.op("Sub", null, x, mu);
        String sq = b.op("Pow", null, d, b.constant("two", Tensor.scalar(2f)));
        String var = b.op("ReduceMean", null, sq, axes);
        String std = b.op("Sqrt", null, b.op("Add", null, var, b.constant("eps", Tensor.scalar(1e-5f))));
        String y = b.op("Add", null, b.op("Mul", null, b.op("Div", null, d, std), b.constant("g", Tensor.of(new float[] {0.5f, 1f, 1.5f, -1f, 2f}, 5))),
                b.constant("beta", Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, 5)));
        var m = b.output(y, 3, 5);
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        float[] xv = new float[30], dy = new float[30];
        for (int i = 0; i < 30; i++) { xv[i] = (float) (r.nextDouble() * 4 - 2); dy[i] = (float) (r.nextDouble() * 2 - 1); }
        try (Backprop bp = new Backprop(m); dev.quant4j.runtime.Session s = dev.quant4j.runtime.Session.create(m)) {
            float[] g = bp.backward(bp.forward(java.util.Map.of("x", Tensor.of(xv, 2, 3, 5))), java.util.Map.of(y, dy), java.util.Set.of("x")).get("x");
            double h = 1e-2;
            for (int i = 0; i < 30; i++) {
                double[] l = new double[2];
                for (int k = 0; k < 2; k++) {
                    float[] p = xv.clone();
                    p[i] += (float) (k == 0 ? h : -h);
                    float[] out = s.run(java.util.Map.of("x", Tensor.of(p, 2, 3, 5))).get(y).floats();
                    for (int j = 0; j < 30; j++) l[k] += (double) dy[j] * out[j];
                }
                double num = (l[0] - l[1]) / (2 * h);
                org.junit.jupiter.api.Assertions.assertEquals(num, g[i], 3e-3 + 1e-2 * Math.abs(num), "dx[" + i + "]");
            }
        }
    }

    @Test void concatGatherSlice() {
        new GradCheck("Concat").attr("axis", 1L).input(s(2, 3, 2), -1, 1).input(s(2, 1, 2), -1, 1).input(s(2, 2, 2), -1, 1).run();
        new GradCheck("Gather").attr("axis", 1L).input(s(2, 5, 3), -1, 1).constant(Tensor.ofLongs(new long[] {4, 0, -1, 2, 0, 4}, 2, 3)).run();
        new GradCheck("Slice").input(s(4, 6, 3), -1, 1).constant(Tensor.vectorOfLongs(1, -1)).constant(Tensor.vectorOfLongs(4, -7))
                .constant(Tensor.vectorOfLongs(0, 1)).constant(Tensor.vectorOfLongs(2, -2)).run();
        // opset 9: starts/ends/axes are attributes
        new GradCheck("Slice").opset(9).attr("starts", 1L, -5L).attr("ends", 3L, 100L).attr("axes", 0L, 2L).input(s(4, 2, 6), -1, 1).run();
        new GradCheck("Slice").opset(9).attr("starts", 1L).attr("ends", 3L).input(s(4, 2), -1, 1).run();
    }

    /** A shuffled ladder of values 0.05 apart, so no window has a tie or near-tie for its maximum. */
    private static float[] distinct(int n) {
        float[] v = new float[n];
        int[] p = dev.quant4j.data.Permutation.of(n, 3);
        for (int i = 0; i < n; i++) v[i] = -1 + 0.05f * p[i];
        return v;
    }
}
