package dev.quant4j.tune.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @TempDir Path tmp;

    @Test
    void roundTripsThroughAnOnnxFileWithAnActionPerQuantizedTensor() throws Exception {
        Model fp32 = ChainModel.build(1);
        List<Map<String, Tensor>> calibration = ChainModel.inputs(8, 5);
        Map<String, Precision> plan = Map.of("mm1", Precision.INT4_WEIGHT, "harmful", Precision.INT8_DYNAMIC, "mm3", Precision.FP16);
        Map<String, String> reasons = Map.of("mm1", "step 2: kept at int4", "harmful", "step 4: refined", "mm3", "policy rule 0");
        Path out = tmp.resolve("chain-q.onnx");
        Provenance written;
        try (PlanApplier.Applied a = new PlanApplier(fp32, calibration, PlanApplier.Options.defaults()).apply(new QuantizationPlan(plan))) {
            List<Provenance.TensorAction> actions = Provenance.tensorActions(fp32, a.model(), plan, reasons);
            assertEquals(3, actions.size(), actions.toString());
            Map<String, Provenance.TensorAction> byTensor = new java.util.HashMap<>();
            for (var t : actions) byTensor.put(t.tensor(), t);
            assertTrue(byTensor.get("W1").action().startsWith("'W1' FLOAT32[64, 64] -> replaced by ") && byTensor.get("W1").action().contains("UINT8"), byTensor.get("W1").action());
            assertTrue(byTensor.get("W2").action().contains("INT8[64, 64]"), byTensor.get("W2").action());
            assertTrue(byTensor.get("W3").action().contains("FLOAT16[64, 16]"), byTensor.get("W3").action());
            assertEquals("step 4: refined", byTensor.get("W2").reason());
            MetricResult ref = new MetricResult(1, 1, 1, 40, "percentile bootstrap"), cand = new MetricResult(0.99, 0.985, 0.994, 40, "percentile bootstrap");
            Latency before = Latency.of(new long[] {2_000_000, 2_100_000, 1_900_000}, new long[] {-1, -1, -1});
            Latency after = Latency.of(new long[] {1_000_000, 1_200_000, 900_000}, new long[] {800_000, 900_000, 850_000});
            written = Provenance.of(Provenance.settings("maxDrop", 0.02, "objective", Objective.SMALLEST),
                    new Provenance.Calibration(CalibrationDigest.of(calibration).hex(), calibration.size(), "ChainModel.inputs(8, 5)"), actions,
                    new Provenance.Deltas("mean cosine", ref, cand, new MetricResult(0.01, 0.006, 0.015, 40, "paired"), 37084, 9101, "quant4j", before, after, 0.5));
            written.writeTo(a.model());
            OnnxWriter.write(a.model(), out);
        }
        try (Model back = OnnxReader.read(out)) {
            Provenance read = Provenance.readFrom(back).orElseThrow();
            assertEquals(written, read);
            assertTrue(Double.isNaN(read.deltas().latencyBefore().medianCpuMs()));
            assertEquals("quant4j", read.tool());
            assertTrue(back.metadata().keySet().stream().anyMatch(k -> k.startsWith("quant4j.quantization.")), "the quantizers' own reports stay");
        }
    }

    @Test
    void weightsHeldInConstantNodesAreTracedToo() {
        Model fp32 = ChainModel.build(1);
        // as PaddlePaddle exports do (PP-OCR): the weight is a Constant node's value, not an initializer
        Tensor w2 = fp32.graph().initializers().remove("W2");
        dev.quant4j.graph.Node c = dev.quant4j.graph.Node.of("Constant", "W2_const", List.of(), List.of("W2"));
        c.attributes().put("value", w2);
        fp32.graph().nodes().addFirst(c);
        Map<String, Precision> plan = Map.of("harmful", Precision.INT4_WEIGHT, "mm1", Precision.FP32);
        try (PlanApplier.Applied a = new PlanApplier(fp32, ChainModel.inputs(2, 5), PlanApplier.Options.defaults()).apply(new QuantizationPlan(plan))) {
            assertTrue(a.notApplied().isEmpty(), a.notApplied().toString());
            List<Provenance.TensorAction> actions = Provenance.tensorActions(fp32, a.model(), plan, Map.of());
            assertEquals(2, actions.size(), actions.toString());
            Provenance.TensorAction w = actions.stream().filter(x -> x.tensor().equals("W2")).findFirst().orElseThrow();
            assertTrue(w.action().startsWith("'W2' FLOAT32[64, 64] -> replaced by ") && w.action().contains("UINT8"), w.action());
            Provenance.TensorAction w1 = actions.stream().filter(x -> x.tensor().equals("W1")).findFirst().orElseThrow();
            assertEquals("kept 'W1' FLOAT32[64, 64]", w1.action());
        }
    }

    @Test
    void aModelWithoutProvenanceHasNoneAndABrokenRecordIsNamed() {
        Model m = ChainModel.build(1);
        assertTrue(Provenance.readFrom(m).isEmpty());
        m.metadata().put(Provenance.KEY, "{\"tool\": 3, \"nonsense\": true}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Provenance.readFrom(m));
        assertTrue(e.getMessage().contains(Provenance.KEY), e.getMessage());
    }

    @Test
    void calibrationDigestFollowsTheDataAndItsOrder() {
        List<Map<String, Tensor>> a = ChainModel.inputs(4, 5), b = ChainModel.inputs(4, 5);
        assertEquals(CalibrationDigest.of(a).hex(), CalibrationDigest.of(b).hex());
        List<Map<String, Tensor>> reordered = new ArrayList<>(a);
        java.util.Collections.swap(reordered, 0, 1);
        assertNotEquals(CalibrationDigest.of(a).hex(), CalibrationDigest.of(reordered).hex());
        float[] x = a.get(2).get("x").floats();
        x[7] = Math.nextUp(x[7]);
        List<Map<String, Tensor>> changed = new ArrayList<>(a);
        changed.set(2, Map.of("x", Tensor.of(x, 1, ChainModel.D)));
        assertNotEquals(CalibrationDigest.of(a).hex(), CalibrationDigest.of(changed).hex());
        // SHA-256 of nothing, a published vector
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new CalibrationDigest().hex());
    }
}
