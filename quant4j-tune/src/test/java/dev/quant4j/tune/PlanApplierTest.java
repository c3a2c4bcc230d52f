package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.numerics.Float16;
import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.tune.task.FashionExample;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plans on the built-in Fashion CNN: one call, calibrated once, refusals reported, weights read back. */
class PlanApplierTest {
    static Model fp32;
    static EvalData.Split<Sample> split;
    static PlanApplier applier;

    @BeforeAll
    static void setUp() throws Exception {
        fp32 = FashionExample.openModel();
        split = FashionExample.evaluationSlice().split(0.1, 5);
        applier = new PlanApplier(fp32, split.calibration().limit(32).feedsIterable(), PlanApplier.Options.defaults());
    }

    @AfterAll
    static void tearDown() { fp32.close(); }

    @Test
    void allowedPrecisionsComeFromTheQuantizersThemselves() {
        Map<String, Set<Precision>> a = applier.allowed();
        assertEquals(Set.of(Precision.FP16, Precision.INT8_STATIC), a.get("conv_0"));
        assertTrue(a.get("gemm_9").containsAll(Set.of(Precision.INT8_DYNAMIC, Precision.INT8_STATIC)), a.toString());
        assertFalse(a.get("gemm_9").contains(Precision.INT4_WEIGHT), "weight-only handles MatMul, not Gemm");
        assertEquals(applier.allowing(Precision.INT8_STATIC), Set.of("conv_0", "conv_4", "gemm_9"));
        assertTrue(applier.refused().isEmpty(), applier.refused().toString());
    }

    @Test
    void mixedPlanInOneCallReportsWhatItCouldNotDo() throws Exception {
        QuantizationPlan plan = QuantizationPlan.empty().with("conv_0", Precision.INT8_STATIC).with("conv_4", Precision.INT4_WEIGHT)
                .with("gemm_9", Precision.INT8_DYNAMIC).with("batchnormalization_1", Precision.FP16).with("no_such_node", Precision.INT8_STATIC);
        assertEquals(plan, QuantizationPlan.parse(plan.toJson()));
        var ranges = applier.ranges();
        try (PlanApplier.Applied a = applier.apply(plan)) {
            assertSame(ranges, applier.ranges(), "calibrated once");
            Map<String, String> refused = new java.util.HashMap<>();
            a.notApplied().forEach(n -> refused.put(n.node(), n.reason()));
            assertEquals(Set.of("conv_4", "no_such_node"), refused.keySet(), a.notApplied().toString());
            assertTrue(refused.get("no_such_node").contains("no node"), refused.toString());
            long quantized = a.reports().stream().mapToLong(r -> r.count(QuantizationReport.Outcome.QUANTIZED)).sum();
            assertEquals(3, quantized, a.reports().toString());
            assertTrue(Models.weightBytes(a.model()) < Models.weightBytes(fp32));
            // the plan's model runs in both engines and keeps the accuracy on held-out images
            var task = FashionExample.task(split.evaluation().limit(300));
            TaskResult q = new Evaluator<>(task, Engine.quant4j(), fp32, Bootstrap.of(3)).evaluate(a.model());
            TaskResult o = new Evaluator<>(task, Engine.onnxRuntime(1), fp32, Bootstrap.of(3)).evaluate(a.model());
            System.out.println("Fashion mixed plan: quant4j " + q + "; onnxruntime " + o);
            assertEquals(q.candidate().value(), o.candidate().value(), 0.01, "engines");
            assertTrue(q.drop() < 0.02, q.toString());
            assertTrue(q.reference().value() > 0.85, q.toString());
        }
    }

    @Test
    void weightsReadBackMatchAScalarReferenceOfEachFormat() {
        QuantizationPlan plan = QuantizationPlan.empty().with("conv_0", Precision.INT8_STATIC).with("gemm_9", Precision.INT8_DYNAMIC)
                .with("batchnormalization_1", Precision.FP16);
        try (PlanApplier.Applied a = applier.apply(plan)) {
            // static and dynamic: symmetric narrow 7-bit per output channel, scale = absmax / 63 (float64 reference)
            for (String name : new String[] {"conv_0", "gemm_9"}) {
                Node n = fp32.graph().node(name);
                var slot = QuantizedWeights.weightOf(fp32.graph(), n);
                float[] w = slot.tensor().floats(), wq = QuantizedWeights.readBack(a.model(), n, slot);
                long[] shape = slot.tensor().shape();
                boolean channelsFirst = n.opType().equals("Conv") || n.attributes().getInt("transB", 0) != 0;
                int channels = (int) (channelsFirst ? shape[0] : shape[1]), inner = w.length / channels;
                double[] absmax = new double[channels];
                for (int i = 0; i < w.length; i++) {
                    int c = channelsFirst ? i / inner : i % channels;
                    absmax[c] = Math.max(absmax[c], Math.abs(w[i]));
                }
                double err = 0, sig = 0;
                for (int i = 0; i < w.length; i++) {
                    int c = channelsFirst ? i / inner : i % channels;
                    double s = absmax[c] / 63, ref = Math.max(-63, Math.min(63, Math.rint(w[i] / s))) * s;
                    assertEquals(ref, wq[i], s * 1e-3 + 1e-7, name + " element " + i);
                    err += (w[i] - ref) * (w[i] - ref);
                    sig += (double) w[i] * w[i];
                }
                assertEquals(10 * Math.log10(sig / err), Sensitivity.sqnrDb(java.util.List.of(w), java.util.List.of(wq)), 0.01, name);
            }
            Node bn = fp32.graph().node("batchnormalization_1");
            var slot = QuantizedWeights.weightOf(fp32.graph(), bn);
            float[] w = slot.tensor().floats(), wq = QuantizedWeights.readBack(a.model(), bn, slot);
            for (int i = 0; i < w.length; i++) assertEquals(Float16.toFloat(Float16.fromFloat(w[i])), wq[i], 0f, "fp16 element " + i);
        }
    }
}
