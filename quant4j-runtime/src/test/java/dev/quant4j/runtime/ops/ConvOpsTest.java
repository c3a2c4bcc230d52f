package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.OpException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conv and ConvTranspose against ONNX Runtime on shapes and paths the backend tests do not reach:
 * constant (packed) weights, wide groups, depthwise with a multiplier and strides, 1×1 without
 * im2col, two threads, 1-D with a long stride, 3-D.
 */
class ConvOpsTest {
    static final double TOL = 1e-5;
    final Random r = new Random(7);

    @Test
    void packedWeightsWideOutput3x3TwoThreads() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 2, 24, 19, 23)).constant("w", NodeCheck.random(r, 96, 24, 3, 3))
                .constant("b", NodeCheck.random(r, 96)).ints("pads", 1, 1, 1, 1).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void packedWeightsGroupedStridedAsymmetricPads() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 16, 30, 17)).constant("w", NodeCheck.random(r, 128, 8, 3, 5))
                .attr("group", 2).ints("strides", 2, 3).ints("pads", 0, 2, 1, 1).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void depthwiseWithMultiplierStrideAndSamePadding() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 2, 12, 33, 28)).constant("w", NodeCheck.random(r, 24, 1, 5, 5))
                .constant("b", NodeCheck.random(r, 24)).attr("group", 12).ints("strides", 2, 2).attr("auto_pad", "SAME_UPPER")
                .outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void depthwiseDilatedFedWeights() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 8, 40, 40)).feed("w", NodeCheck.random(r, 8, 1, 3, 3))
                .attr("group", 8).ints("dilations", 2, 3).ints("pads", 2, 3, 2, 3).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void pointwiseUsesTheInputDirectly() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 3, 40, 14, 15)).constant("w", NodeCheck.random(r, 24, 40, 1, 1))
                .constant("b", NodeCheck.random(r, 24)).outputs("y").assertMatchesOrt(2, TOL);
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 40, 14, 15)).constant("w", NodeCheck.random(r, 80, 40, 1, 1))
                .outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void fewPositionsUsePackedWeights() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 2, 480, 1, 1)).constant("w", NodeCheck.random(r, 120, 480, 1, 1))
                .constant("b", NodeCheck.random(r, 120)).outputs("y").assertMatchesOrt(2, TOL);
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 12, 3, 4)).constant("w", NodeCheck.random(r, 40, 6, 3, 3))
                .attr("group", 2).ints("pads", 1, 1, 1, 1).ints("strides", 1, 2).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void oneDimensionalLongStride() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 1, 1152)).constant("w", NodeCheck.random(r, 258, 1, 256))
                .ints("strides", 128).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void threeDimensionalGroupedSameLower() throws Exception {
        new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 6, 9, 10, 11)).constant("w", NodeCheck.random(r, 9, 2, 3, 2, 3))
                .constant("b", NodeCheck.random(r, 9)).attr("group", 3).ints("strides", 1, 2, 2).attr("auto_pad", "SAME_LOWER")
                .outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void convTransposeStridedGroupedWithOutputPadding() throws Exception {
        new NodeCheck("ConvTranspose").feed("x", NodeCheck.random(r, 2, 8, 9, 7)).constant("w", NodeCheck.random(r, 8, 3, 4, 3))
                .constant("b", NodeCheck.random(r, 6)).attr("group", 2).ints("strides", 2, 3).ints("pads", 1, 0, 2, 1)
                .ints("output_padding", 1, 2).ints("dilations", 1, 2).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void oneAndTwoThreadsAgree() {
        NodeCheck c = new NodeCheck("Conv").feed("x", NodeCheck.random(r, 2, 32, 21, 21)).constant("w", NodeCheck.random(r, 64, 32, 3, 3))
                .ints("pads", 1, 1, 1, 1).outputs("y");
        Tensor one = c.runQuant4j(1).get(0), two = c.runQuant4j(2).get(0);
        NodeCheck.assertClose("y", one, two, 1e-6);
    }

    @Test
    void mismatchedChannelsNameTheNode() {
        NodeCheck c = new NodeCheck("Conv").feed("x", NodeCheck.random(r, 1, 5, 8, 8)).constant("w", NodeCheck.random(r, 4, 3, 3, 3)).outputs("y");
        OpException e = assertThrows(OpException.class, () -> c.runQuant4j(1));
        assertTrue(e.getMessage().contains("'n0'") && e.getMessage().contains("channels"), e.getMessage());
    }
}
