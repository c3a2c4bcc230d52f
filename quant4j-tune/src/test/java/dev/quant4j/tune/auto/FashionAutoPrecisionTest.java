package dev.quant4j.tune.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.LayerSensitivity;
import dev.quant4j.tune.Models;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import dev.quant4j.tune.Sensitivity;
import dev.quant4j.tune.TaskResult;
import dev.quant4j.tune.task.ClassificationTask;
import dev.quant4j.tune.task.FashionExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on quant4j's built-in Fashion-MNIST CNN (no test data needed): sensitivity, search
 * under a 1-point top-1 bound, deployability on both engines, provenance written and read back.
 * Calibration, search and a second held-out part never share an image.
 */
class FashionAutoPrecisionTest {
    static final List<Precision> LADDER = List.of(Precision.INT4_WEIGHT, Precision.INT8_STATIC, Precision.FP16);
    @TempDir static Path tmp;
    static Model fp32;
    static EvalData<Sample> calibration, search, fresh;

    @BeforeAll
    static void setUp() throws Exception {
        fp32 = FashionExample.openModel();
        EvalData.Split<Sample> split = FashionExample.evaluationSlice().split(0.1, 2026);
        calibration = split.calibration().limit(48);
        EvalData.Split<Sample> held = split.evaluation().split(0.5, 7);
        search = held.calibration().limit(300);
        fresh = held.evaluation();
    }

    @AfterAll
    static void tearDown() { fp32.close(); }

    @Test
    void searchMeetsTheBoundIsSmallerAndRunsInBothEngines() throws Exception {
        PlanApplier applier = new PlanApplier(fp32, calibration.feedsIterable(), PlanApplier.Options.defaults());
        Map<String, String> ops = applier.opTypes();
        List<LayerLadder> ladders = new ArrayList<>();
        Map<String, Precision> aggressive = new LinkedHashMap<>();
        applier.allowed().forEach((n, allowed) -> {
            LayerLadder l = LayerLadder.of(n, ops.get(n), LADDER, allowed);
            if (ops.get(n).equals("Add") || l.levels().size() < 2) return;
            ladders.add(l);
            aggressive.put(n, l.at(0));
        });
        assertTrue(ladders.size() >= 3, ladders.toString());
        Engine engine = Engine.quant4j();
        ClassificationTask task = FashionExample.task(search);
        Evaluator<Integer> ev = new Evaluator<>(task, engine, fp32, Bootstrap.of(3));
        Evaluator<Integer> quick = new Evaluator<>(task.limit(100), engine, fp32, Bootstrap.of(3));
        Map<String, Double> harm = new LinkedHashMap<>();
        for (LayerSensitivity s : Sensitivity.analyze("fashion-cnn", applier, quick, aggressive, new Sensitivity.Options(1, 0)).rows()) harm.put(s.node(), s.dropOnly());
        TaskMeasurer<Integer> m = new TaskMeasurer<>(applier, ev, task.feeds(0), 1, 5);
        MetricBound bound = MetricBound.absolute(0.01);
        SearchResult r = AutoPrecision.search(ladders, harm, m, new AutoPrecision.Settings(bound, Objective.SMALLEST, 14), null);
        System.out.print(r.table());
        System.out.println(r.plan());

        assertNotEquals(0, r.best(), "some quantized plan meets a 1-point bound on this CNN");
        assertTrue(r.chosen().sizeBytes() < r.reference().sizeBytes());
        try (PlanApplier.Applied a = new PlanApplier(fp32, calibration.feedsIterable(), PlanApplier.Options.defaults()).apply(new QuantizationPlan(r.plan()))) {
            // the same plan applied again from scratch scores exactly what the search measured: the plan reported is the plan measured
            TaskResult again = new Evaluator<>(task, engine, fp32, Bootstrap.of(3)).evaluate(a.model());
            assertEquals(r.chosen().drop().value(), again.drop(), 1e-12);
            assertTrue(again.drop() <= bound.maxDrop(), again.toString());
            assertEquals(r.chosen().sizeBytes(), Models.serializedBytes(a.model()));
            // on images the search never saw, the drop is not significantly beyond the bound
            TaskResult other = new Evaluator<>(FashionExample.task(fresh), engine, fp32, Bootstrap.of(4)).evaluate(a.model());
            System.out.println("fresh held-out images: " + other);
            assertTrue(other.dropInterval()[0] <= bound.maxDrop(), other.toString());

            List<LayerForms.Form> forms = LayerForms.build(fp32, ladders, task.feeds(0), applier.options());
            List<Deployability.Row> ours = Deployability.check(forms, r.plan(), engine, null);
            System.out.print(Deployability.table(ours));
            for (Deployability.Row row : ours) assertTrue(row.runs(), row.toString());
            assertEquals(r.chosen().quantizedNodes(), ours.size());
            assertEquals(null, Deployability.runFailure(a.model(), task.feeds(0), engine));
            // ONNX Runtime: a node whose form it cannot run is named with ONNX Runtime's reason, and then the whole model fails too
            Engine ort = Engine.onnxRuntime(1);
            List<Deployability.Row> theirs = Deployability.check(forms, r.plan(), ort, null);
            System.out.print(Deployability.table(theirs));
            assertEquals(r.chosen().quantizedNodes(), theirs.size());
            String whole = Deployability.runFailure(a.model(), task.feeds(0), ort);
            for (Deployability.Row row : theirs) {
                if (row.runs()) continue;
                assertTrue(row.reason().startsWith("onnxruntime cannot run it: "), row.reason());
                assertTrue(whole != null && whole.contains(row.node()), "node " + row.node() + " fails alone, so the whole model must fail naming it: " + whole);
            }

            Provenance p = Provenance.of(Provenance.settings("maxDrop", bound.maxDrop(), "objective", Objective.SMALLEST),
                    new Provenance.Calibration(CalibrationDigest.of(calibration.feedsIterable()).hex(), calibration.size(), calibration.name()),
                    Provenance.tensorActions(fp32, a.model(), r.plan(), r.reasons()),
                    new Provenance.Deltas(task.metric().name(), r.reference().metric(), r.chosen().metric(), r.chosen().drop(),
                            r.reference().sizeBytes(), r.chosen().sizeBytes(), engine.name(), r.reference().latency(), r.chosen().latency(), Double.NaN));
            p.writeTo(a.model());
            Path out = tmp.resolve("fashion-auto.onnx");
            OnnxWriter.write(a.model(), out);
            try (Model back = OnnxReader.read(out)) {
                Provenance q = Provenance.readFrom(back).orElseThrow();
                assertEquals(p, q);
                assertTrue(q.tensors().size() >= r.chosen().quantizedNodes(), q.tensors().toString());
                assertEquals(CalibrationDigest.of(calibration.feedsIterable()).hex(), q.calibration().sha256());
            }
        }
    }
}
