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
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import dev.quant4j.tune.TaskResult;
import dev.quant4j.tune.task.ClassificationTask;
import dev.quant4j.tune.task.FashionExample;
import java.nio.file.Path;
import java.util.List;
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
        search = held.calibration().limit(150);
        fresh = held.evaluation().limit(300);
    }

    @AfterAll
    static void tearDown() { fp32.close(); }

    @Test
    void searchMeetsTheBoundIsSmallerAndRunsInBothEngines() throws Exception {
        Engine engine = Engine.quant4j();
        ClassificationTask task = FashionExample.task(search);
        MetricBound bound = MetricBound.absolute(0.01);
        AutoQuantizer.Settings settings = new AutoQuantizer.Settings(bound, Objective.SMALLEST, LADDER, 14, 40, new SpeedGate.Settings(1, 3, 0.95), false, 3);
        try (AutoQuantizer.Outcome o = AutoQuantizer.run(fp32, calibration.feedsIterable(), calibration.name(), task, engine, settings, System.out::println)) {
            SearchResult r = o.search();
            System.out.print(r.table());
            System.out.println(r.plan());
            assertTrue(o.sensitivity().rows().size() >= 3, o.sensitivity().format(10));
            assertNotEquals(0, r.best(), "some quantized plan meets a 1-point bound on this CNN");
            assertTrue(r.chosen().sizeBytes() < r.reference().sizeBytes());
            assertEquals(r.chosen().sizeBytes(), o.bytesAfter());
            assertEquals(null, o.wholeModelFailure());
            for (Deployability.Row row : o.deployability()) assertTrue(row.runs(), row.toString());
            assertEquals(r.chosen().quantizedNodes(), o.deployability().size());
            assertTrue(o.speed().ratio() > 0, o.speed().verdict());

            try (PlanApplier.Applied a = new PlanApplier(fp32, calibration.feedsIterable(), PlanApplier.Options.defaults()).apply(new QuantizationPlan(r.plan()))) {
                // the same plan applied again from scratch scores exactly what the search measured: the plan reported is the plan measured
                TaskResult again = new Evaluator<>(task, engine, fp32, Bootstrap.of(3)).evaluate(a.model());
                assertEquals(r.chosen().drop().value(), again.drop(), 1e-12);
                assertTrue(again.drop() <= bound.maxDrop(), again.toString());
                // on images the search never saw, the drop is not significantly beyond the bound
                TaskResult other = new Evaluator<>(FashionExample.task(fresh), engine, fp32, Bootstrap.of(4)).evaluate(a.model());
                System.out.println("fresh held-out images: " + other);
                assertTrue(other.dropInterval()[0] <= bound.maxDrop(), other.toString());
            }

            // ONNX Runtime: a node whose form it cannot run is named with ONNX Runtime's reason, and then the whole model fails too
            Engine ort = Engine.onnxRuntime(1);
            List<LayerLadder> chosen = r.plan().entrySet().stream().filter(e -> e.getValue() != Precision.FP32)
                    .map(e -> new LayerLadder(e.getKey(), fp32.graph().node(e.getKey()).opType(), List.of(e.getValue()))).toList();
            List<Deployability.Row> theirs = Deployability.check(LayerForms.build(fp32, chosen, task.feeds(0), PlanApplier.Options.defaults()), r.plan(), ort, null);
            System.out.print(Deployability.table(theirs));
            assertEquals(r.chosen().quantizedNodes(), theirs.size());
            String whole = Deployability.runFailure(o.model(), task.feeds(0), ort);
            for (Deployability.Row row : theirs) {
                if (row.runs()) continue;
                assertTrue(row.reason().startsWith("onnxruntime cannot run it: "), row.reason());
                assertTrue(whole != null && whole.contains(row.node()), "node " + row.node() + " fails alone, so the whole model must fail naming it: " + whole);
            }

            Path out = tmp.resolve("fashion-auto.onnx");
            OnnxWriter.write(o.model(), out);
            try (Model back = OnnxReader.read(out)) {
                Provenance q = Provenance.readFrom(back).orElseThrow();
                assertEquals(o.provenance(), q);
                assertTrue(q.tensors().size() >= r.chosen().quantizedNodes(), q.tensors().toString());
                assertEquals(CalibrationDigest.of(calibration.feedsIterable()).hex(), q.calibration().sha256());
                assertEquals(o.bytesAfter(), q.deltas().bytesAfter());
            }
        }
    }
}
