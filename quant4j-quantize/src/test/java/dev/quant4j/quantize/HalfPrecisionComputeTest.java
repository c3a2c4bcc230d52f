package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FP16 compute on a chain whose middle overflows fp16 (x·1000 for |x| up to ~200): the activation
 * check keeps exactly the two nodes that write or read the overflowing value in float32, and ONNX
 * Runtime then matches a float64 reference to fp16 precision; without the check the overflowing node
 * is converted as well.
 */
class HalfPrecisionComputeTest {
    @TempDir Path tmp;

    /** y = ((x + 1) * 1000 * 0.001 - 1) * 0.5 */
    private static Model model() {
        Graph g = new Graph("g");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 1, 8));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, 1, 8));
        g.initializers().put("one", Tensor.scalar(1f));
        g.initializers().put("big", Tensor.scalar(1000f));
        g.initializers().put("small", Tensor.scalar(0.001f));
        g.initializers().put("half", Tensor.scalar(0.5f));
        g.addNode(Node.of("Add", "add", List.of("x", "one"), List.of("a")));
        g.addNode(Node.of("Mul", "up", List.of("a", "big"), List.of("b")));
        g.addNode(Node.of("Mul", "down", List.of("b", "small"), List.of("c")));
        g.addNode(Node.of("Sub", "sub", List.of("c", "one"), List.of("d")));
        g.addNode(Node.of("Mul", "scale", List.of("d", "half"), List.of("y")));
        Model m = new Model(g);
        m.opsets().put("", 13L);
        m.setIrVersion(8);
        return m;
    }

    private static final float[] X = {-210, -37.5f, -1, 0, 0.25f, 3, 64, 199};

    private static double reference(float x) { return (((double) x + 1) * 1000 * 0.001 - 1) * 0.5; }

    private static Map<String, Observer> calibrate(Model m) {
        Calibrator c = new Calibrator(m, HalfPrecisionCompute.valuesToCalibrate(m), HalfRangeObserver::new);
        c.observe(Map.of("x", Tensor.of(X, 1, 8)));
        return c.observers();
    }

    private float[] runFloatIo(Model m, String name) throws Exception {
        Path f = tmp.resolve(name);
        OnnxWriter.write(m, f);
        try (Ort ort = new Ort(f)) { return ort.run(Map.of("x", Tensor.of(X, 1, 8))); }
    }

    @Test
    void overflowingValueStaysFloat32AndTheRestComputesInFp16() throws Exception {
        Model m = model();
        QuantizationReport r = HalfPrecisionCompute.apply(m, PrecisionPolicy.uniform(Precision.FP16), calibrate(model()), HalfPrecisionCompute.Options.defaults());
        Map<String, QuantizationReport.Outcome> outcome = new java.util.HashMap<>();
        for (var e : r.entries()) outcome.put(e.node(), e.outcome());
        assertEquals(QuantizationReport.Outcome.KEPT, outcome.get("up"), r.toJson());
        assertEquals(QuantizationReport.Outcome.KEPT, outcome.get("down"), r.toJson());
        for (String n : List.of("add", "sub", "scale")) assertEquals(QuantizationReport.Outcome.QUANTIZED, outcome.get(n), n + ": " + r.toJson());
        assertTrue(r.entries().stream().anyMatch(e -> e.node().equals("up") && e.reason().contains("overflows fp16")), r.toJson());
        float[] y = runFloatIo(m, "checked.onnx");
        for (int i = 0; i < X.length; i++) assertEquals(reference(X[i]), y[i], Math.max(1e-3, Math.abs(reference(X[i])) * 2e-3), "x=" + X[i]);

        Model unchecked = model();
        HalfPrecisionCompute.apply(unchecked, PrecisionPolicy.uniform(Precision.FP16), null, HalfPrecisionCompute.Options.defaults());
        // without the check the overflowing node is converted too; an engine computing it in fp16 writes -inf
        // (ONNX Runtime's CPU engine has no fp16 Mul and runs such chains in float32 between Casts, so it cannot show it)
        assertTrue(unchecked.graph().node("up").inputs().stream().anyMatch(v -> v.endsWith("_fp16")), unchecked.graph().node("up").toString());
        assertTrue(Float.isInfinite(Float16.round((X[0] + 1) * 1000f)));
    }

    @Test
    void sixteenBitInputsAndOutputsWhenAsked() throws Exception {
        Model m = model();
        HalfPrecisionCompute.apply(m, PrecisionPolicy.uniform(Precision.FP16), calibrate(model()), new HalfPrecisionCompute.Options(false, 0.5));
        assertEquals(DataType.FLOAT16, m.graph().inputs().get(0).dtype());
        assertEquals(DataType.FLOAT16, m.graph().outputs().get(0).dtype());
        Path f = tmp.resolve("fp16_io.onnx");
        OnnxWriter.write(m, f);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        short[] xh = new short[X.length];
        for (int i = 0; i < X.length; i++) xh[i] = Float16.fromFloat(X[i]);
        try (OrtSession s = env.createSession(f.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, ShortBuffer.wrap(xh), new long[] {1, 8}, OnnxJavaType.FLOAT16);
             OrtSession.Result r = s.run(Map.of("x", x))) {
            OnnxTensor y = (OnnxTensor) r.get(0);
            assertEquals(OnnxJavaType.FLOAT16, y.getInfo().type);
            ShortBuffer yb = y.getShortBuffer();
            for (int i = 0; i < X.length; i++) {
                float v = Float16.toFloat(yb.get(i));
                assertFalse(Float.isNaN(v));
                assertEquals(reference(X[i]), v, Math.max(1e-3, Math.abs(reference(X[i])) * 2e-3), "x=" + X[i]);
            }
        }
    }
}
