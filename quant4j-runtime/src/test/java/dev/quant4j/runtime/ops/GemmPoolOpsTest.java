package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gemm with a packed constant B and the pools on larger shapes and attribute mixes, against ONNX Runtime. */
class GemmPoolOpsTest {
    static final double TOL = 1e-5;
    final Random r = new Random(11);

    @Test
    void gemmPackedTransposedBWithAlphaBetaAndRowBias() throws Exception {
        new NodeCheck("Gemm").feed("a", NodeCheck.random(r, 37, 300)).constant("b", NodeCheck.random(r, 129, 300))
                .constant("c", NodeCheck.random(r, 129)).attr("transB", 1).attr("alpha", 0.5f).attr("beta", 2f)
                .outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void gemmTransposedAFedBColumnBias() throws Exception {
        new NodeCheck("Gemm").feed("a", NodeCheck.random(r, 70, 33)).feed("b", NodeCheck.random(r, 70, 65))
                .feed("c", NodeCheck.random(r, 33, 1)).attr("transA", 1).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void gemmWithoutC() throws Exception {
        new NodeCheck("Gemm").feed("a", NodeCheck.random(r, 1, 384)).constant("b", NodeCheck.random(r, 384, 1000))
                .outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void maxPoolWithIndicesPaddedStridedDilated() throws Exception {
        new NodeCheck("MaxPool").opset(12).feed("x", NodeCheck.random(r, 2, 5, 31, 29)).ints("kernel_shape", 3, 2)
                .ints("strides", 2, 2).ints("pads", 1, 0, 1, 1).ints("dilations", 2, 1)
                .outputs("y").output("i", DataType.INT64).assertMatchesOrt(2, TOL);
    }

    @Test
    void maxPoolCeilModeThreeD() throws Exception {
        new NodeCheck("MaxPool").feed("x", NodeCheck.random(r, 1, 3, 9, 10, 11)).ints("kernel_shape", 2, 3, 2)
                .ints("strides", 2, 2, 3).attr("ceil_mode", 1).outputs("y").assertMatchesOrt(2, TOL);
    }

    @Test
    void averagePoolCeilModeCountingPads() throws Exception {
        for (long include = 0; include <= 1; include++) {
            new NodeCheck("AveragePool").feed("x", NodeCheck.random(r, 2, 4, 23, 26)).ints("kernel_shape", 3, 3)
                    .ints("strides", 2, 2).ints("pads", 1, 1, 1, 1).attr("ceil_mode", 1).attr("count_include_pad", include)
                    .outputs("y").assertMatchesOrt(2, TOL);
        }
    }

    @Test
    void lpPoolAndGlobalPools() throws Exception {
        Tensor x = NodeCheck.random(r, 2, 6, 17, 13);
        new NodeCheck("LpPool").opset(11).feed("x", x).ints("kernel_shape", 3, 2).ints("strides", 2, 1).attr("p", 3)
                .outputs("y").assertMatchesOrt(1, TOL);
        for (String op : new String[] {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"})
            new NodeCheck(op).feed("x", x).outputs("y").assertMatchesOrt(1, TOL);
    }
}
