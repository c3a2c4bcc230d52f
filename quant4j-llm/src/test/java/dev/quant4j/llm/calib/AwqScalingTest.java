package dev.quant4j.llm.calib;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.Generator;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwqScalingTest {

    @Test
    void foldedScalesKeepTheFloatModelAndLowerTheOutputError() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel model = LlamaModel.fromLlama2c(ck);
            List<int[]> calib = Generator.heldOut(model, 4, 64, 99, 1, 1);
            CalibrationStats stats = CalibrationStats.collect(model, calib, true, 1);
            AwqScaling.Result r = AwqScaling.search(model, stats, n -> GgmlType.Q4_0, false, AwqScaling.DEFAULT_ALPHAS);

            assertEquals(10, r.norms().size());
            assertTrue(r.skipped().stream().anyMatch(s -> s.startsWith("output.weight")), "the tied classifier is listed");
            assertTrue(r.skipped().stream().anyMatch(s -> s.startsWith("blk.0.ffn_down")));
            assertTrue(r.alphas().values().stream().anyMatch(a -> a > 0), "some norm should profit from scaling: " + r.alphas());

            // In fp32 the scaled model computes the same function.
            Map<String, WeightMatrix> mats = new HashMap<>();
            r.scaled().forEach((k, v) -> mats.put(k, WeightMatrix.quantize(GgmlType.F32, model.matrix(k).rows(), model.matrix(k).cols(), v, null)));
            LlamaModel folded = model.with(mats, r.norms());
            Forward a = new Forward(model, 1), b = new Forward(folded, 1);
            int[] seq = calib.get(0);
            for (int i = 0; i < 20; i++) {
                float[] x = a.forward(seq[i], i).clone(), y = b.forward(seq[i], i);
                for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], 1e-4 * (1 + Math.abs(x[j])), "position " + i);
            }

            // The chosen α is never worse than no scaling on the calibration Hessian.
            for (var e : r.alphas().entrySet()) {
                int layer = Integer.parseInt(e.getKey().split("\\.")[1]);
                List<String> consumers = e.getKey().contains("attn_norm")
                        ? List.of("attn_q", "attn_k", "attn_v") : List.of("ffn_gate", "ffn_up");
                ActivationStats st = stats.get("blk." + layer + "." + consumers.get(0) + ".weight");
                double[] s0 = AwqScaling.scales(st.meanAbs(), 0), s1 = AwqScaling.scales(st.meanAbs(), e.getValue());
                double e0 = 0, e1 = 0;
                for (String n : consumers) {
                    WeightMatrix w = model.matrix("blk." + layer + "." + n + ".weight");
                    e0 += AwqScaling.outputError(w, GgmlType.Q4_0, s0, st.hessian(), null);
                    e1 += AwqScaling.outputError(w, GgmlType.Q4_0, s1, st.hessian(), null);
                }
                assertTrue(e1 <= e0 * (1 + 1e-9), e.getKey() + ": " + e1 + " > " + e0);
            }
        }
    }
}
