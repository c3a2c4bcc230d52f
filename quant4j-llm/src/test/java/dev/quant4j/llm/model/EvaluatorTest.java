package dev.quant4j.llm.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    @Test
    void metricsMatchAFloat64Computation() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel ref = LlamaModel.fromLlama2c(ck);
            List<int[]> seqs = Generator.heldOut(ref, 3, 30, 5, 1, 1);
            for (int[] s : seqs) assertEquals(30, s.length);
            // A visibly different candidate: the final norm scaled, which sharpens every distribution.
            float[] norm = ref.norm("output_norm.weight").clone();
            for (int i = 0; i < norm.length; i++) norm[i] *= 1.3f;
            LlamaModel cand = ref.with(Map.of(), Map.of("output_norm.weight", norm));

            Evaluator ev = new Evaluator(ref, seqs, 1);
            Evaluator.Metrics same = ev.evaluate(ref);
            assertEquals(0, same.klMean(), 1e-9);
            assertEquals(1.0, same.top1());
            assertEquals(same.pplReference(), same.pplCandidate(), 1e-9);
            Evaluator.Metrics m = ev.evaluate(cand);
            assertEquals(29 * 3, m.tokens());

            // The same figures from the float64 reference forward of both models.
            double kl = 0, nllRef = 0, nllCand = 0;
            int agree = 0, n = 0;
            for (int[] seq : seqs) {
                ReferenceForward a = new ReferenceForward(ref.config(), ref.toArrays()), b = new ReferenceForward(cand.config(), cand.toArrays());
                for (int i = 0; i + 1 < seq.length; i++) {
                    double[] p = logSoftmax(a.forward(seq[i], i)), q = logSoftmax(b.forward(seq[i], i));
                    int ap = 0, aq = 0;
                    for (int j = 0; j < p.length; j++) {
                        kl += Math.exp(p[j]) * (p[j] - q[j]);
                        if (p[j] > p[ap]) ap = j;
                        if (q[j] > q[aq]) aq = j;
                    }
                    agree += ap == aq ? 1 : 0;
                    nllRef -= p[seq[i + 1]];
                    nllCand -= q[seq[i + 1]];
                    n++;
                }
            }
            assertTrue(kl / n > 1e-3, "the perturbation should be visible: KL " + kl / n);
            assertEquals(kl / n, m.klMean(), 1e-4 * kl / n + 1e-7);
            assertEquals((double) agree / n, m.top1(), 1e-12);
            assertEquals(Math.exp(nllRef / n), m.pplReference(), 1e-4 * m.pplReference());
            assertEquals(Math.exp(nllCand / n), m.pplCandidate(), 1e-4 * m.pplCandidate());
        }
    }

    /**
     * Decoding rounds activations to 8 bits for Q8_0/Q4_0/Q4_K; the evaluator can measure the model as
     * decoded, next to the weights alone. On 20,400 tokens: Q8_0 KL 0.0269 → 0.0431 nats, Q4_0 2.112 → 2.117.
     */
    @Test
    void decodeActivationsAddTheirRoundingToTheWeightsAlone() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel ref = LlamaModel.fromLlama2c(ck);
            Evaluator ev = new Evaluator(ref, Generator.heldOut(ref, 6, 128, 4, 1, 1), 1);
            LlamaModel q8 = dev.quant4j.llm.quantize.ModelQuantizer.quantize(ref, null,
                    dev.quant4j.llm.quantize.QuantizeOptions.of(dev.quant4j.llm.quant.GgmlType.Q8_0, dev.quant4j.llm.quantize.Method.RTN)).model();
            Evaluator.Metrics weights = ev.evaluate(q8), decoded = ev.evaluate(q8, true);
            assertTrue(weights.klMean() > 0 && decoded.klMean() != weights.klMean(), weights + " / " + decoded);
            assertTrue(decoded.klMean() < 3 * weights.klMean() + 0.02, "8-bit activations: " + decoded + " vs weights alone " + weights);
            assertTrue(decoded.top1() > 0.7, decoded.toString());
            assertEquals(0, ev.evaluate(ref, true).klMean(), 1e-9, "fp32 weights have no quantized-activation path");
        }
    }

    @Test
    void heldOutSequencesAreSeededAndVaried() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel ref = LlamaModel.fromLlama2c(ck);
            List<int[]> a = Generator.heldOut(ref, 4, 20, 11, 1, 1), b = Generator.heldOut(ref, 4, 20, 11, 1, 2);
            for (int i = 0; i < 4; i++) assertArrayEquals(a.get(i), b.get(i));
            long distinctStarts = a.stream().mapToInt(s -> s[1]).distinct().count();
            assertTrue(distinctStarts >= 3, "random start tokens should differ");
        }
    }

    static double[] logSoftmax(double[] l) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : l) max = Math.max(max, v);
        double s = 0;
        for (double v : l) s += Math.exp(v - max);
        double lse = max + Math.log(s);
        double[] o = new double[l.length];
        for (int i = 0; i < l.length; i++) o[i] = l[i] - lse;
        return o;
    }
}
