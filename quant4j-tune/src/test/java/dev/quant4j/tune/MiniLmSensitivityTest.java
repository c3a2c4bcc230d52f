package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import dev.quant4j.tune.task.EmbeddingTask;
import dev.quant4j.tune.task.MiniLmInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2, dynamic int8, per layer, on held-out Brown sentences. */
class MiniLmSensitivityTest {
    @TempDir static Path tmp;

    @Test
    void dynamicInt8Table() throws Exception {
        WordPiece tok = RealModels.miniLmTokenizer(tmp);
        EvalData.Split<String> split = MiniLmInputs.sentences(RealModels.brownSentences(80), tok).split(0.25, 7);
        try (Model fp32 = OnnxReader.read(RealModels.miniLm(tmp))) {
            PlanApplier applier = new PlanApplier(fp32, split.calibration().feedsIterable(), PlanApplier.Options.defaults());
            Map<String, Precision> layers = new LinkedHashMap<>();
            for (String n : applier.allowing(Precision.INT8_DYNAMIC)) layers.put(n, Precision.INT8_DYNAMIC);
            EmbeddingTask<String> task = MiniLmInputs.task(split.evaluation().limit(12));
            Evaluator<float[]> ev = new Evaluator<>(task, Engine.quant4j(), fp32, Bootstrap.of(1));
            long c0 = cpu(), t0 = System.nanoTime();
            SensitivityTable t = Sensitivity.analyze("all-MiniLM-L6-v2", applier, ev, layers, new Sensitivity.Options(2, 4));
            System.out.println(t.format(12));
            System.out.printf("MiniLM table: %.1f s wall, %.1f s CPU (this thread)%n", (System.nanoTime() - t0) / 1e9, (cpu() - c0) / 1e9);
            Files.writeString(tmp.resolve("minilm-sensitivity.json"), t.toJson());

            assertEquals(36 + 3, t.rows().size()); // every MatMul with a constant weight, and the three embedding tables
            assertTrue(t.rows().stream().allMatch(LayerSensitivity::applied));
            // all layers together cost more than any one alone (errors add up on this encoder)
            double worstSingle = t.rankedByDrop().getFirst().dropOnly();
            assertTrue(t.allDrop() > worstSingle && worstSingle > 0, "all " + t.allDrop() + ", worst single " + worstSingle);
            // the feed-forward down-projections (GELU outputs with long tails) are the sensitive ones
            long ffnInTop3 = t.rankedByDrop().subList(0, 3).stream().filter(l -> l.node().endsWith("/output/dense/MatMul")).count();
            assertTrue(ffnInTop3 >= 2, t.format(3));
            assertTrue(t.rankedByDrop().getFirst().recovery() > 0, t.format(1));
            long saved = t.rows().stream().mapToLong(LayerSensitivity::bytesSaved).sum(), measured = t.fp32WeightBytes() - t.allQuantizedWeightBytes();
            assertEquals(measured, saved, 0.01 * measured, "per-layer savings add up to the all-quantized saving");
            long file = t.fp32Bytes() - t.allQuantizedBytes(); // the file also carries the inserted nodes' names and parameters
            assertTrue(file > 0.5 * saved && file < 1.05 * saved, "file saving " + file + " vs weight saving " + saved);
            assertEquals("/embeddings/word_embeddings/Gather", t.rankedByBytes().getFirst().node(), "the 30522x384 table brings the most bytes");

            // the ranking agrees with a direct measurement on other held-out sentences in the other engine
            LayerSensitivity top = t.rankedByDrop().getFirst(), bottom = t.rankedByDrop().getLast();
            EmbeddingTask<String> other = MiniLmInputs.task(split.evaluation());
            Evaluator<float[]> direct = new Evaluator<>(other, Engine.onnxRuntime(1), fp32, Bootstrap.of(2));
            double dTop, dBottom;
            try (var a = applier.apply(QuantizationPlan.empty().with(top.node(), top.precision()));
                 var b = applier.apply(QuantizationPlan.empty().with(bottom.node(), bottom.precision()))) {
                dTop = direct.evaluate(a.model()).drop();
                dBottom = direct.evaluate(b.model()).drop();
            }
            System.out.printf("direct (ONNX Runtime, %d sentences): %s drop %.5f, %s drop %.5f%n", other.size(), top.node(), dTop, bottom.node(), dBottom);
            assertTrue(dTop > dBottom, "top " + dTop + " vs bottom " + dBottom);
        }
    }

    /** MatMulNBits (read by unpacking) and blocked DequantizeLinear (run by quant4j's runtime) hold the same int4 weight. */
    @Test
    void int4WeightReadsBackTheSameFromBothFormats() throws Exception {
        try (Model fp32 = OnnxReader.read(RealModels.miniLm(tmp))) {
            String node = "/encoder/layer.0/attention/self/query/MatMul";
            QuantizationPlan plan = QuantizationPlan.empty().with(node, Precision.INT4_WEIGHT);
            PlanApplier.Options d = PlanApplier.Options.defaults();
            PlanApplier nbits = new PlanApplier(fp32, List.of(), d);
            PlanApplier blocked = new PlanApplier(fp32, List.of(), new PlanApplier.Options(d.staticOptions(), d.observer(), d.dynamicOptions(),
                    new WeightOnlyQuantizer.Options(32, true, WeightOnlyQuantizer.Format.BLOCKED_DEQUANTIZE), d.maxSubnormalFraction()));
            var n = fp32.graph().node(node);
            var slot = QuantizedWeights.weightOf(fp32.graph(), n);
            try (var a = nbits.apply(plan); var b = blocked.apply(plan)) {
                assertEquals("MatMulNBits", a.model().graph().node(node).opType());
                float[] wa = QuantizedWeights.readBack(a.model(), n, slot), wb = QuantizedWeights.readBack(b.model(), n, slot);
                assertArrayEquals(wa, wb);
                double sqnr = Sensitivity.sqnrDb(List.of(slot.tensor().floats()), List.of(wa));
                System.out.printf("MiniLM %s int4 blocks of 32: weight SQNR %.2f dB%n", node, sqnr);
                assertTrue(sqnr > 15 && sqnr < 25, "4-bit RTN gives about 6 dB per bit: " + sqnr);
            }
        }
    }

    static long cpu() { return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
}
