package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.task.BlazeFaceInputs;
import dev.quant4j.tune.task.DetectionAucTask;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BlazeFace, static int8 QDQ (U8S8, min/max) per layer, calibrated on 40 lfw_subset images and
 * judged by face/non-face AUC on 60 of the 160 held-out ones in ONNX Runtime (quant4j's runtime
 * runs QDQ BlazeFace about 5x slower than fp32, so the many task runs go to ONNX Runtime).
 */
class BlazeFaceSensitivityTest {

    @Test
    void staticInt8Table() throws Exception {
        EvalData.Split<Sample> split = BlazeFaceInputs.lfw(RealModels.lfw()).split(0.2, 11);
        try (Model fp32 = OnnxReader.read(RealModels.blazeFace())) {
            PlanApplier applier = new PlanApplier(fp32, split.calibration().feedsIterable(), PlanApplier.Options.defaults());
            Map<String, Precision> layers = new LinkedHashMap<>();
            for (String n : applier.allowing(Precision.INT8_STATIC)) layers.put(n, Precision.INT8_STATIC);
            DetectionAucTask auc = BlazeFaceInputs.task(split.evaluation().limit(60));
            Evaluator<Double> ev = new Evaluator<>(auc, Engine.onnxRuntime(1), fp32, Bootstrap.of(1));
            long t0 = System.nanoTime();
            SensitivityTable t = Sensitivity.analyze("BlazeFace", applier, ev, layers, new Sensitivity.Options(1, 4));
            System.out.println(t.format(12));
            System.out.printf("BlazeFace table: %.1f s wall%n", (System.nanoTime() - t0) / 1e9);

            assertEquals(37 + 16, t.rows().size()); // every Conv and Add, as in quant4j-quantize's StaticBlazeFaceTest
            assertTrue(t.rows().stream().allMatch(LayerSensitivity::applied));
            assertTrue(t.referenceMetric() > 0.99, "fp32 AUC " + t.referenceMetric());
            // with quantized outputs (the heads' model outputs stay float) the drop is 0.022 [0, 0.064] on these 60
            // images (0.066 when only inputs were quantized): a loss, whose interval now touches 0
            assertTrue(t.allQuantized().drop() > 0.005 && t.allQuantized().dropInterval()[1] > 0.01,
                    "all-static U8S8 min/max loses AUC: " + t.allQuantized());
            long saved = t.rows().stream().mapToLong(LayerSensitivity::bytesSaved).sum(), measured = t.fp32WeightBytes() - t.allQuantizedWeightBytes();
            assertEquals(measured, saved, 0.01 * measured, "per-layer savings add up to the all-quantized saving");
            long file = t.fp32Bytes() - t.allQuantizedBytes(); // the file also carries the inserted nodes' names and parameters
            assertTrue(file > 0.5 * saved && file < 1.05 * saved, "file saving " + file + " vs weight saving " + saved);
            for (LayerSensitivity l : t.rows())
                if (l.opType().equals("Conv")) assertTrue(l.weightSqnrDb() > 25, l.toString());

            // the ranking agrees with a direct measurement on the other 100 held-out images, in quant4j's runtime
            LayerSensitivity top = t.rankedByDrop().getFirst(), bottom = t.rankedByDrop().getLast();
            DetectionAucTask rest = new DetectionAucTask("rest", split.evaluation().range(60, split.evaluation().size()), BlazeFaceInputs.SCORE_OUTPUTS);
            Evaluator<Double> direct = new Evaluator<>(rest, Engine.quant4j(), fp32, Bootstrap.of(2));
            double dTop, dBottom;
            try (var a = applier.apply(QuantizationPlan.empty().with(top.node(), top.precision()));
                 var b = applier.apply(QuantizationPlan.empty().with(bottom.node(), bottom.precision()))) {
                dTop = direct.evaluate(a.model()).drop();
                dBottom = direct.evaluate(b.model()).drop();
            }
            System.out.printf("direct (quant4j, %d images): %s drop %.4f, %s drop %.4f%n", rest.size(), top.node(), dTop, bottom.node(), dBottom);
            assertTrue(dTop > dBottom, "top " + dTop + " vs bottom " + dBottom);
        }
    }
}
