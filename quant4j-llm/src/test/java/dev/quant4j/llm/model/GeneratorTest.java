package dev.quant4j.llm.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    @Test
    void greedyGenerationFollowsTheFloat64ArgmaxChain() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel m = LlamaModel.fromLlama2c(ck);
            int[] prompt = {1, 200, 37};
            int[] out = Generator.generate(new Forward(m, 2), prompt, 30, Sampler.greedy());
            assertEquals(33, out.length);
            assertArrayEquals(prompt, java.util.Arrays.copyOf(out, 3));
            ReferenceForward ref = new ReferenceForward(m.config(), ck.toArrays());
            for (int pos = 0; pos + 1 < out.length; pos++) {
                double[] l = ref.forward(out[pos], pos);
                if (pos + 1 < prompt.length) continue;
                int best = 0;
                for (int j = 1; j < l.length; j++) if (l[j] > l[best]) best = j;
                // a different pick is only acceptable on a near tie that fp32 rounding can flip
                assertTrue(best == out[pos + 1] || l[best] - l[out[pos + 1]] < 1e-4 * Math.abs(l[best]), "position " + (pos + 1));
            }
            // the context bounds generation
            int[] full = Generator.generate(new Forward(m, 1), prompt, 10_000, Sampler.greedy());
            assertEquals(m.config().seqLen(), full.length);
        }
    }
}
