package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One policy mixing every pass on a Conv→BN→Relu→MatMul×3 chain: the passes run in their order,
 * each quantizes exactly its node, BatchNormalization is folded before the ranges are asked for
 * (once, for the folded model's values), and ONNX Runtime runs the result close to the float model.
 */
class PolicyQuantizerTest {
    @TempDir Path tmp;

    private static final PolicyQuantizer.Options OPTIONS = new PolicyQuantizer.Options(true, StaticQdqQuantizer.Options.u8s8().withQuantizedOutputs(true),
            DynamicQuantizer.Options.defaults(), new WeightOnlyQuantizer.Options(32, true, WeightOnlyQuantizer.Format.MATMUL_NBITS), 0.01);

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }

    /** x[2,2,6,6] → Conv c1 → BatchNormalization bn → Relu → Reshape [2,64] → MatMul mm1 [64,32] → mm2 [32,32] → mm3 [32,8] → y. */
    private static Model model() {
        SplittableRandom r = new SplittableRandom(11);
        Graph g = new Graph("chain");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 2, 2, 6, 6));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, 2, 8));
        g.initializers().put("w1", Tensor.of(random(r, 4 * 2 * 9, 0.4), 4, 2, 3, 3));
        g.initializers().put("b1", Tensor.of(random(r, 4, 0.1), 4));
        g.initializers().put("gamma", Tensor.of(new float[] {1.2f, 0.8f, 1.5f, 0.6f}, 4));
        g.initializers().put("beta", Tensor.of(new float[] {0.1f, -0.2f, 0.05f, 0.3f}, 4));
        g.initializers().put("mean", Tensor.of(new float[] {0.05f, -0.1f, 0.2f, 0f}, 4));
        g.initializers().put("var", Tensor.of(new float[] {0.5f, 1.3f, 0.9f, 2f}, 4));
        g.initializers().put("shape", Tensor.ofLongs(new long[] {2, 64}, 2));
        g.initializers().put("m1", Tensor.of(random(r, 64 * 32, 0.2), 64, 32));
        g.initializers().put("m2", Tensor.of(random(r, 32 * 32, 0.3), 32, 32));
        g.initializers().put("m3", Tensor.of(random(r, 32 * 8, 0.3), 32, 8));
        g.addNode(Node.of("Conv", "c1", List.of("x", "w1", "b1"), List.of("c")));
        g.addNode(Node.of("BatchNormalization", "bn", List.of("c", "gamma", "beta", "mean", "var"), List.of("n")));
        g.addNode(Node.of("Relu", "relu", List.of("n"), List.of("a")));
        g.addNode(Node.of("Reshape", "flat", List.of("a", "shape"), List.of("f")));
        g.addNode(Node.of("MatMul", "mm1", List.of("f", "m1"), List.of("h1")));
        g.addNode(Node.of("MatMul", "mm2", List.of("h1", "m2"), List.of("h2")));
        g.addNode(Node.of("MatMul", "mm3", List.of("h2", "m3"), List.of("y")));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        m.setIrVersion(8);
        return m;
    }

    private static List<Map<String, Tensor>> inputs(int batches) {
        SplittableRandom r = new SplittableRandom(5);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < batches; i++) out.add(Map.of("x", Tensor.of(random(r, 2 * 2 * 36, 1), 2, 2, 6, 6)));
        return out;
    }

    private static PrecisionPolicy mixed() {
        return new PrecisionPolicy(Precision.FP32, List.of(PrecisionRule.forNode("c1", Precision.INT8_STATIC), PrecisionRule.forNode("mm1", Precision.INT8_DYNAMIC),
                PrecisionRule.forNode("mm2", Precision.INT4_WEIGHT), PrecisionRule.forNode("mm3", Precision.FP16)));
    }

    private static Set<String> quantized(QuantizationReport r) {
        Set<String> s = new TreeSet<>();
        for (QuantizationReport.Entry e : r.entries()) if (e.outcome() == QuantizationReport.Outcome.QUANTIZED) s.add(e.node());
        return s;
    }

    @Test
    void mixedPolicyRunsEveryPassInOrderOnItsOwnNode() throws Exception {
        List<Map<String, Tensor>> calibration = inputs(4), held = inputs(6).subList(4, 6);
        Path fp32 = tmp.resolve("fp32.onnx"), quant = tmp.resolve("mixed.onnx");
        try (Model m = model()) { OnnxWriter.write(m, fp32); }
        int[] asked = {0};
        PolicyQuantizer.Result r;
        try (Model m = model()) {
            r = PolicyQuantizer.apply(m, mixed(), OPTIONS, (model, values) -> {
                asked[0]++;
                assertFalse(model.graph().nodes().stream().anyMatch(n -> n.opType().equals("BatchNormalization")), "ranges asked before folding");
                assertEquals(StaticQdqQuantizer.valuesToCalibrate(model, mixed()), values);
                assertTrue(values.contains("x"), values.toString());
                Calibrator c = new Calibrator(model, values, MinMaxObserver::perTensor);
                calibration.forEach(c::observe);
                return c.observers();
            });
            OnnxWriter.write(m, quant);
        }
        assertEquals(1, asked[0]);
        assertEquals(1, r.foldedBatchNorms());
        assertEquals(List.of("static int8 QDQ", "dynamic int8", "weight-only MATMUL_NBITS", "fp16/bf16 weights"),
                r.reports().stream().map(QuantizationReport::mode).toList());
        List<Set<String>> expected = List.of(Set.of("c1"), Set.of("mm1"), Set.of("mm2"), Set.of("mm3"));
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), quantized(r.reports().get(i)), r.reports().get(i).toJson());
        // ONNX Runtime runs the mixed model. Symmetric 4-bit blocks alone cost uniform weights (1/7)/sqrt(12)*sqrt(3) = 8.2% relative RMS
        // (step max/7 against an RMS of max/sqrt(3)); the bound leaves room for the int8 and fp16 passes, not for a wrong graph
        try (Ort a = new Ort(fp32); Ort b = new Ort(quant)) {
            for (Map<String, Tensor> feeds : held) {
                float[] x = a.run(feeds), y = b.run(feeds);
                double err = 0, ref = 0;
                for (int i = 0; i < x.length; i++) { err += (x[i] - y[i]) * (double) (x[i] - y[i]); ref += x[i] * (double) x[i]; }
                assertTrue(Math.sqrt(err / ref) < 0.15, "relative RMS error " + Math.sqrt(err / ref));
                assertTrue(err > 0, "the quantized model computes exactly the float one: nothing was quantized");
            }
        }
    }

    @Test
    void withoutStaticNothingIsFoldedAndNoRangesAreAsked() {
        PrecisionPolicy dyn = new PrecisionPolicy(Precision.FP32, List.of(PrecisionRule.forNode("mm1", Precision.INT8_DYNAMIC)));
        try (Model m = model()) {
            PolicyQuantizer.Result r = PolicyQuantizer.apply(m, dyn, OPTIONS, PolicyQuantizer.Ranges.none());
            assertEquals(0, r.foldedBatchNorms());
            assertTrue(m.graph().nodes().stream().anyMatch(n -> n.opType().equals("BatchNormalization")));
            assertEquals(List.of("dynamic int8"), r.reports().stream().map(QuantizationReport::mode).toList());
            assertEquals(Set.of("mm1"), quantized(r.reports().getFirst()));
        }
    }

    @Test
    void fixedRangesAreUsedAsGivenAndFoldingCanBeTurnedOff() {
        PrecisionPolicy st = PrecisionPolicy.uniform(Precision.INT8_STATIC);
        PolicyQuantizer.Options noFold = new PolicyQuantizer.Options(false, OPTIONS.staticOptions(), OPTIONS.dynamicOptions(), OPTIONS.weightOptions(), 0.01);
        Map<String, Observer> ranges;
        try (Model m = model()) {
            Calibrator c = new Calibrator(m, StaticQdqQuantizer.valuesToCalibrate(m, st), MinMaxObserver::perTensor);
            inputs(2).forEach(c::observe);
            ranges = c.observers();
        }
        try (Model m = model()) {
            PolicyQuantizer.Result r = PolicyQuantizer.apply(m, st, noFold, PolicyQuantizer.Ranges.fixed(ranges));
            assertEquals(0, r.foldedBatchNorms());
            assertTrue(m.graph().nodes().stream().anyMatch(n -> n.opType().equals("BatchNormalization")));
            assertEquals(Set.of("c1", "mm1", "mm2", "mm3"), quantized(r.reports().getFirst()), r.reports().getFirst().toJson());
        }
    }
}
