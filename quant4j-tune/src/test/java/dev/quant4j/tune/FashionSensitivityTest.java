package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.task.ClassificationTask;
import dev.quant4j.tune.task.FashionExample;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in Fashion-MNIST CNN (no test data needed): static int8 sensitivity on held-out slice images. */
class FashionSensitivityTest {

    @Test
    void staticInt8Table() throws Exception {
        EvalData.Split<Sample> split = FashionExample.evaluationSlice().split(0.1, 2026);
        try (Model fp32 = FashionExample.openModel()) {
            PlanApplier applier = new PlanApplier(fp32, split.calibration().limit(64).feedsIterable(), PlanApplier.Options.defaults());
            Map<String, Precision> layers = new LinkedHashMap<>();
            for (String n : applier.allowing(Precision.INT8_STATIC)) layers.put(n, Precision.INT8_STATIC);
            ClassificationTask task = FashionExample.task(split.evaluation());
            Evaluator<Integer> ev = new Evaluator<>(task, Engine.quant4j(), fp32, Bootstrap.of(1));
            SensitivityTable t = Sensitivity.analyze("fashion-cnn", applier, ev, layers, Sensitivity.Options.defaults());
            System.out.println(t.format(20));

            assertEquals(3, t.rows().size());
            assertEquals(900, t.evalSamples());
            for (LayerSensitivity l : t.rows()) {
                assertTrue(l.applied(), l.toString());
                assertTrue(l.weightSqnrDb() > 30 && l.outputSqnrDb() > 25, l.toString());
                assertTrue(l.bytesSaved() > 0, l.toString());
                assertTrue(Double.isFinite(l.recovery()), l.toString());
                assertTrue(l.activation().count() > 0 && l.activation().max() >= l.activation().p999() && l.activation().p999() > l.activation().p001(), l.toString());
            }
            long saved = t.rows().stream().mapToLong(LayerSensitivity::bytesSaved).sum(), measured = t.fp32WeightBytes() - t.allQuantizedWeightBytes();
            assertEquals(measured, saved, 0.01 * measured, "per-layer savings add up to the all-quantized saving");
            long file = t.fp32Bytes() - t.allQuantizedBytes(); // the file also carries the inserted nodes' names and parameters
            assertTrue(file > 0.5 * saved && file < 1.05 * saved, "file saving " + file + " vs weight saving " + saved);
            // the largest layer brings most of the size
            assertEquals("gemm_9", t.rankedByBytes().getFirst().node());
            assertTrue(t.allQuantized().reference().value() > 0.88, t.allQuantized().toString());
            JsonNode json = new ObjectMapper().readTree(t.toJson());
            assertEquals(3, json.get("rows").size());
            assertEquals(t.rows().getFirst().node(), json.get("rows").get(0).get("node").asText());
        }
    }
}
