package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LSTM, GRU and RNN against ONNX Runtime with constant (packed) weights, batches whose sequences
 * end early, both directions and initial states: what the backend tests leave out.
 */
class RecurrentOpsTest {
    static final double TOL = 1e-5;
    final Random r = new Random(5);

    private static Tensor lens(int... v) { return Tensor.ofInts(v, v.length); }

    @Test
    void bidirectionalLstmWithPeepholesAndShortSequences() throws Exception {
        int seq = 6, batch = 3, in = 10, h = 16;
        new NodeCheck("LSTM").feed("x", NodeCheck.random(r, seq, batch, in))
                .constant("w", NodeCheck.random(r, 2, 4 * h, in)).constant("r", NodeCheck.random(r, 2, 4 * h, h))
                .constant("b", NodeCheck.random(r, 2, 8 * h)).feed("lens", lens(6, 2, 4))
                .feed("h0", NodeCheck.random(r, 2, batch, h)).feed("c0", NodeCheck.random(r, 2, batch, h))
                .constant("p", NodeCheck.random(r, 2, 3 * h))
                .attr("hidden_size", h).attr("direction", "bidirectional").outputs("y", "yh", "yc").assertMatchesOrt(2, TOL);
    }

    @Test
    void lstmLongSequenceWideHidden() throws Exception {
        // ONNX Runtime rejects layout=1; that layout is covered by the backend tests.
        int seq = 40, batch = 2, in = 64, h = 128;
        new NodeCheck("LSTM").feed("x", NodeCheck.random(r, seq, batch, in))
                .constant("w", NodeCheck.random(r, 1, 4 * h, in)).constant("r", NodeCheck.random(r, 1, 4 * h, h))
                .constant("b", NodeCheck.random(r, 1, 8 * h)).attr("hidden_size", h)
                .outputs("y", "yh", "yc").assertMatchesOrt(2, 1e-4);
    }

    @Test
    void gruBothResetVariantsReverse() throws Exception {
        int seq = 7, batch = 4, in = 9, h = 12;
        for (long lbr = 0; lbr <= 1; lbr++) {
            new NodeCheck("GRU").feed("x", NodeCheck.random(r, seq, batch, in))
                    .constant("w", NodeCheck.random(r, 1, 3 * h, in)).constant("r", NodeCheck.random(r, 1, 3 * h, h))
                    .constant("b", NodeCheck.random(r, 1, 6 * h)).feed("lens", lens(7, 3, 1, 5)).feed("h0", NodeCheck.random(r, 1, batch, h))
                    .attr("hidden_size", h).attr("direction", "reverse").attr("linear_before_reset", lbr)
                    .outputs("y", "yh").assertMatchesOrt(2, TOL);
        }
    }

    @Test
    void rnnWithReluActivationAndClip() throws Exception {
        int seq = 5, batch = 2, in = 6, h = 8;
        new NodeCheck("RNN").feed("x", NodeCheck.random(r, seq, batch, in)).feed("w", NodeCheck.random(r, 2, h, in))
                .feed("r", NodeCheck.random(r, 2, h, h)).attr("hidden_size", h).attr("direction", "bidirectional")
                .attr("clip", 0.7f).attrsStrings("activations", "Relu", "Tanh").outputs("y", "yh").assertMatchesOrt(1, TOL);
    }
}
