package dev.quant4j.bench.ptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.runtime.fusion.QdqFusion;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * quant4j's runtime with its QDQ fusion on models that quant4j-quantize made from real models,
 * against the same model unfused and against ONNX Runtime (which fuses QDQ itself).
 * Relative error: max |a − b| / max |b| over an output (b: the reference).
 */
@Tag("real-models")
class FusedRuntimeTest {
    @TempDir Path tmp;

    @Test
    void blazeFaceStaticQdqRunsOnTheInt8Kernels() throws Exception {
        PtqModels spec = PtqModels.blazeFace();
        Path q = PtqVariants.make(spec, tmp, 16, java.util.Set.of("static")).get("static");
        try (Engines e = new Engines(q, 1, true); Session plain = Session.create(e.model, SessionOptions.threads(1).withFusion(false))) {
            QdqFusion.Result r = QdqFusion.apply(e.model.graph(), e.model.onnxOpset());
            assertEquals(37, r.count("QdqConv"), r.fused().toString());   // every Conv
            assertEquals(16, r.count("QdqAdd"), r.fused().toString());    // every residual Add
            for (int i : new int[] {3, 150}) {                            // a face and a non-face (not calibration samples)
                Map<String, Tensor> feeds = spec.sample().apply(i);
                Map<String, Tensor> fused = e.runQuant4j(feeds), unfused = plain.run(feeds);
                Map<String, float[]> ort = e.runOrt(feeds);
                for (String out : fused.keySet()) {
                    double vsOrt = rel(fused.get(out).floats(), ort.get(out)), vsPlain = rel(fused.get(out).floats(), unfused.get(out).floats());
                    System.out.printf("BlazeFace static image %d %s: fused vs ORT %.3g, fused vs unfused %.3g%n", i, out, vsOrt, vsPlain);
                    // ORT fuses the same patterns into QLinearConv/QLinearAdd: same integer arithmetic, same rounding.
                    assertTrue(vsOrt <= 1e-5, out + " vs ORT: " + vsOrt);
                }
                // Unfused rounds the float Conv result instead of the exact integer one: codes move by one step
                // here and there and 37 layers pass it on, so compare the task output, the face score.
                double sf = faceScore(fused), sp = faceScore(unfused);
                System.out.printf("BlazeFace static image %d: face score fused %.4f, unfused %.4f%n", i, sf, sp);
                assertEquals(sp, sf, 0.02, "face score of image " + i);
            }
        }
    }

    @Test
    void miniLmDynamicAndBlockedInt4() throws Exception {
        PtqModels spec = PtqModels.miniLm(tmp);
        Map<String, Path> v = PtqVariants.make(spec, tmp, 0, java.util.Set.of("dynamic", "int4-w"));
        Map<String, Tensor> feeds = spec.sample().apply(7);
        try (Model m = OnnxReader.read(v.get("dynamic"))) {
            assertEquals(36, QdqFusion.apply(m.graph(), m.onnxOpset()).count("IntMatMulScaled"));
            float[] fused, plain;
            try (Session s = Session.create(m, SessionOptions.threads(1))) { fused = s.run(feeds).get("last_hidden_state").floats(); }
            try (Session s = Session.create(m, SessionOptions.threads(1).withFusion(false))) { plain = s.run(feeds).get("last_hidden_state").floats(); }
            assertArrayEquals(plain, fused, "the fused epilogue does the same float operations");
        }
        // com.microsoft MatMulNBits needs no fusion: its operator already runs gemvQ/gemmQ on the codes.
        try (Engines e = new Engines(v.get("int4-w"), 1, true)) {
            double vsOrt = rel(e.runQuant4j(feeds).get("last_hidden_state").floats(), e.runOrt(feeds).get("last_hidden_state"));
            System.out.printf("MiniLM int4 MatMulNBits: quant4j vs ORT %.3g%n", vsOrt);
            assertTrue(vsOrt <= 1e-4, "MatMulNBits vs ORT " + vsOrt);
        }
        Path blocked = tmp.resolve("minilm_dq4.onnx");
        try (Model m = OnnxReader.read(spec.fp32())) {
            dev.quant4j.quantize.WeightOnlyQuantizer.apply(m, dev.quant4j.quantize.PrecisionPolicy.uniform(dev.quant4j.quantize.Precision.INT4_WEIGHT),
                    new dev.quant4j.quantize.WeightOnlyQuantizer.Options(32, false, dev.quant4j.quantize.WeightOnlyQuantizer.Format.BLOCKED_DEQUANTIZE));
            dev.quant4j.onnx.OnnxWriter.write(m, blocked);
        }
        try (Engines e = new Engines(blocked, 1, true, true); Session plain = Session.create(e.model, SessionOptions.threads(1).withFusion(false))) {
            assertEquals(36, QdqFusion.apply(e.model.graph(), e.model.onnxOpset()).count("BlockedMatMul"));
            float[] fused = e.runQuant4j(feeds).get("last_hidden_state").floats();
            float[] unfused = plain.run(feeds).get("last_hidden_state").floats(), ort = e.runOrt(feeds).get("last_hidden_state");
            double vsOrt = rel(fused, ort), vsPlain = rel(fused, unfused);
            System.out.printf("MiniLM int4 blocked DQ: fused vs ORT %.3g, fused vs unfused %.3g%n", vsOrt, vsPlain);
            // Same int4 codes and scales; only float summation order differs.
            assertTrue(vsOrt <= 1e-4 && vsPlain <= 1e-4, "vs ORT " + vsOrt + ", vs unfused " + vsPlain);
        }
    }

    /** Max sigmoid over both score outputs (as in quant4j-quantize's BlazeFace test). */
    static double faceScore(Map<String, Tensor> out) {
        double best = Double.NEGATIVE_INFINITY;
        for (String o : new String[] {"Identity:0", "Identity_1:0"}) for (float v : out.get(o).floats()) best = Math.max(best, v);
        return 1 / (1 + Math.exp(-best));
    }

    static double rel(float[] a, float[] b) {
        double err = 0, max = 0;
        for (int i = 0; i < b.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            if (!(d <= err)) err = d;
            max = Math.max(max, Math.abs(b[i]));
        }
        return err == 0 ? 0 : err / max;
    }
}
