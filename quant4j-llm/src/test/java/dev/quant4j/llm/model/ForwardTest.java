package dev.quant4j.llm.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ForwardTest {

    /** max |a − b| over the logits, relative to the reference's largest |logit|. */
    static double relError(float[] got, double[] ref) {
        double err = 0, scale = 0;
        for (int i = 0; i < ref.length; i++) {
            err = Math.max(err, Math.abs(got[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return err / scale;
    }

    @Test
    void logitsMatchFloat64ReferenceOnStories260K() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel model = LlamaModel.fromLlama2c(ck);
            var arrays = ck.toArrays();
            SplittableRandom rnd = new SplittableRandom(7);
            double worst = 0;
            for (int seq = 0; seq < 4; seq++) {
                Forward f = new Forward(model, seq % 2 + 1);
                ReferenceForward ref = new ReferenceForward(ck.config(), arrays);
                int len = seq == 3 ? 300 : 40;
                int token = seq == 0 ? 1 : rnd.nextInt(512);
                for (int pos = 0; pos < len; pos++) {
                    float[] got = f.forward(token, pos);
                    double[] want = ref.forward(token, pos);
                    double e = relError(got, want);
                    worst = Math.max(worst, e);
                    assertTrue(e < 1e-4, "sequence " + seq + " position " + pos + ": relative error " + e);
                    // Follow the model's own choice half the time so that the inputs look like real text.
                    token = rnd.nextBoolean() ? Sampler.argmax(got) : rnd.nextInt(512);
                }
            }
            assertTrue(worst > 0, "an error of exactly 0 would mean the two passes are not independent");
            System.out.println("stories260K forward vs float64 reference: worst relative logit error " + worst);
        }
    }

    @Test
    void prefillEqualsTokenByTokenDecode() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel model = LlamaModel.fromLlama2c(ck);
            int[] prompt = {1, 400, 31, 77, 5, 260, 261, 9, 12, 499, 3};
            Forward a = new Forward(model, 2), b = new Forward(model, 2);
            float[] last = null;
            for (int i = 0; i < prompt.length; i++) last = a.forward(prompt[i], i).clone();
            int[] head = java.util.Arrays.copyOf(prompt, 4), tail = java.util.Arrays.copyOfRange(prompt, 4, prompt.length);
            b.prefill(head, 0);
            float[] got = b.prefill(tail, 4);
            for (int i = 0; i < got.length; i++) assertEquals(last[i], got[i], 1e-4 * (1 + Math.abs(last[i])), "logit " + i);
            // and decoding continues from the prefilled cache
            assertArrayEquals(a.forward(42, prompt.length), b.forward(42, prompt.length), 1e-4f);
        }
    }

    @Test
    void rejectsTokensAndPositionsOutsideTheModel() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            Forward f = new Forward(LlamaModel.fromLlama2c(ck), 1);
            assertThrows(IllegalArgumentException.class, () -> f.forward(512, 0));
            assertThrows(IllegalArgumentException.class, () -> f.forward(-1, 0));
            assertThrows(IllegalArgumentException.class, () -> f.forward(1, 512));
            assertThrows(IllegalArgumentException.class, () -> f.prefill(new int[10], 505));
        }
    }
}
