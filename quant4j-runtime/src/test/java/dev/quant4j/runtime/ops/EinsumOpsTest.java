package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.OpException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Einsum forms the five backend tests do not reach, against ONNX Runtime. */
class EinsumOpsTest {
    static final double TOL = 1e-5;
    final Random r = new Random(8);

    private NodeCheck einsum(String eq, Tensor... in) {
        NodeCheck c = new NodeCheck("Einsum").opset(12).attr("equation", eq);
        for (int i = 0; i < in.length; i++) c.feed("x" + i, in[i]);
        return c.outputs("y");
    }

    @Test
    void explicitAndImplicitEquationsMatchOnnxRuntime() throws Exception {
        Tensor a = NodeCheck.random(r, 4, 6, 7), b = NodeCheck.random(r, 4, 7, 5), c = NodeCheck.random(r, 5, 3);
        einsum("bij,bjk,kl->bil", a, b, c).assertMatchesOrt(1, TOL); // three operands
        einsum("bij,bjk", a, b).assertMatchesOrt(1, TOL);             // implicit output: b i k in letter order
        einsum("ijk->kji", a).assertMatchesOrt(1, TOL);
        einsum("bij->j", a).assertMatchesOrt(1, TOL);
        Tensor sq = NodeCheck.random(r, 2, 5, 5);
        einsum("bii->bi", sq).assertMatchesOrt(1, TOL);                // diagonal
        einsum("bii", sq).assertMatchesOrt(1, TOL);                    // implicit trace per batch
    }

    @Test
    void ellipsisBroadcastsLeadingDimensions() throws Exception {
        Tensor a = NodeCheck.random(r, 3, 1, 4, 6), b = NodeCheck.random(r, 1, 5, 6, 2); // ONNX shape inference wants equal ellipsis ranks
        einsum("...ij,...jk->...ik", a, b).assertMatchesOrt(1, TOL);
        einsum("...ij->...ji", a).assertMatchesOrt(1, TOL);
    }

    @Test
    void mismatchedLabelSizesAreRejected() {
        NodeCheck c = einsum("ij,jk->ik", NodeCheck.random(r, 2, 3), NodeCheck.random(r, 4, 2));
        assertThrows(OpException.class, () -> c.runQuant4j(1));
    }
}
