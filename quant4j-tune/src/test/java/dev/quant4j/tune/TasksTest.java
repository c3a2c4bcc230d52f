package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.eval.EditDistance;
import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.task.AgreementTask;
import dev.quant4j.tune.task.BlazeFaceInputs;
import dev.quant4j.tune.task.CtcRecognitionTask;
import dev.quant4j.tune.task.FashionExample;
import dev.quant4j.tune.task.PpOcrLines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each task on its real model: values, intervals, paired comparisons. */
class TasksTest {

    @Test
    void ppOcrCharacterErrorRateOnRenderedLines() throws Exception {
        List<String> lines = PpOcrLines.lines(RealModels.brown(), 4, 40);
        EvalData<Sample> data = PpOcrLines.recognition(lines, "DejaVu Sans", 960, 1);
        CtcRecognitionTask task = PpOcrLines.task(data, RealModels.ppOcrKeys());
        try (Model fp32 = OnnxReader.read(RealModels.ppOcrRec())) {
            Evaluator<String> ev = new Evaluator<>(task, Engine.onnxRuntime(1), fp32, Bootstrap.of(4));
            MetricResult cer = ev.referenceResult();
            // the same CER from the decoded texts directly: pooled edits / pooled length
            long edits = 0, chars = 0;
            for (int i = 0; i < lines.size(); i++) {
                edits += EditDistance.characters(lines.get(i), ev.referenceOutputs().get(i));
                chars += lines.get(i).length();
            }
            System.out.printf("PP-OCRv4 rec fp32 on %d rendered lines (ONNX Runtime): CER %s%n", lines.size(), cer);
            assertEquals((double) edits / chars, cer.value(), 1e-12);
            assertTrue(cer.value() < 0.05 && cer.covers(cer.value()), cer.toString());
            // int4 weight-only MatMuls (MatMulNBits needs no opset change) measured against fp32 on the same lines
            try (PlanApplier.Applied q = new PlanApplier(fp32, List.of(), PlanApplier.Options.defaults()).apply(
                    QuantizationPlan.uniform(new PlanApplier(fp32, List.of(), PlanApplier.Options.defaults()).allowing(Precision.INT4_WEIGHT), Precision.INT4_WEIGHT))) {
                TaskResult r = ev.evaluate(q.model());
                System.out.println("PP-OCRv4 rec int4-weight MatMuls: " + r);
                assertTrue(q.notApplied().isEmpty(), q.notApplied().toString());
                assertEquals(cer.value(), r.reference().value(), 0);
                assertTrue(r.drop() < 0.05, r.toString()); // the metric is CER: drop = candidate - reference
            }
        }
    }

    @Test
    void blazeFaceAucOnLfwMatchesThePublishedFigure() throws Exception {
        EvalData<Sample> all = BlazeFaceInputs.lfw(RealModels.lfw());
        try (Model fp32 = OnnxReader.read(RealModels.blazeFace())) {
            Evaluator<Double> ev = new Evaluator<>(BlazeFaceInputs.task(all), Engine.onnxRuntime(1), fp32, Bootstrap.of(5));
            MetricResult auc = ev.referenceResult();
            System.out.println("BlazeFace fp32 AUC on all 200 lfw_subset images: " + auc);
            assertTrue(auc.value() >= 0.995, auc.toString()); // testdata README: AUC 1.000 (ONNX Runtime 1.23)
        }
    }

    @Test
    void agreementMetricsOfTheExampleModel() throws Exception {
        EvalData<Sample> data = FashionExample.evaluationSlice().limit(200);
        try (Model fp32 = FashionExample.openModel();
             PlanApplier.Applied q = new PlanApplier(fp32, List.of(), PlanApplier.Options.defaults())
                     .apply(QuantizationPlan.empty().with("gemm_9", Precision.INT8_DYNAMIC))) {
            double[] v = new double[4];
            int k = 0;
            for (AgreementTask.Kind kind : AgreementTask.Kind.values()) {
                var task = new AgreementTask<>("fashion logits", data, FashionExample.OUTPUT, kind);
                Evaluator<float[]> ev = new Evaluator<>(task, Engine.quant4j(), fp32, Bootstrap.of(6));
                TaskResult r = ev.evaluate(q.model());
                System.out.println("Fashion gemm_9 int8-dynamic: " + r);
                v[k++] = r.candidate().value();
            }
            assertTrue(v[0] > 0.999 && v[0] <= 1 + 1e-9, "cosine " + v[0]);
            assertTrue(v[1] > 25 && v[1] < 80, "SQNR dB " + v[1]);
            assertTrue(v[2] >= 0 && v[2] < 1e-2, "KL " + v[2]);
            assertTrue(v[3] > 0.97 && v[3] <= 1, "top-1 agreement " + v[3]);
        }
    }
}
