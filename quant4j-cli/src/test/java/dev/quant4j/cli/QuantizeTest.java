package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.train.NetBuilder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant4j quantize} and {@code calibrate} on the shipped Fashion CNN and on a generated MatMul model, checked in ONNX Runtime. */
class QuantizeTest {
    static final int N = 300;

    @Test
    void staticInt8KeepsTheShippedModelsAccuracyInOnnxRuntime(@TempDir Path dir) throws Exception {
        Path in = Shipped.fashionModel(dir), out = dir.resolve("int8.onnx");
        String before = Shipped.sha256(in);
        Cli.Result r = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "static", "--calibration", "builtin:fashion", "--samples", "200");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("static int8 QDQ: 3 nodes quantized, 0 kept"), r.out());
        assertTrue(r.out().contains("folded 2 BatchNormalization"), r.out());
        assertEquals(before, Shipped.sha256(in), "the input is untouched");
        assertTrue(Files.size(out) < Files.size(in) / 3, "int8 weights: " + Files.size(out) + " of " + Files.size(in));
        try (Model m = OnnxReader.read(out)) {
            // the 3 quantized nodes' inputs, and the two Convs' outputs; the Gemm's output is the model's logits and stays float
            assertEquals(5, m.graph().nodes().stream().filter(n -> n.opType().equals("QuantizeLinear")).count());
            assertTrue(m.graph().nodes().stream().noneMatch(n -> n.opType().equals("QuantizeLinear") && n.input(0).startsWith("logits")));
            assertTrue(m.metadata().get(RunRecord.KEY).contains("calibrationSha256"), "provenance: " + m.metadata().keySet());
        }
        Path inputsOnly = out.resolveSibling("inputs-only.onnx");
        Cli.Result io = Cli.run("quantize", in.toString(), "-o", inputsOnly.toString(), "--mode", "static", "--calibration", "builtin:fashion",
                "--samples", "200", "--no-quantize-outputs");
        assertEquals(0, io.code(), io.err());
        try (Model m = OnnxReader.read(inputsOnly)) {
            assertEquals(3, m.graph().nodes().stream().filter(n -> n.opType().equals("QuantizeLinear")).count());
        }
        float[] x = Shipped.images(N);
        long[] y = Shipped.labels(N);
        float[][] fp = Shipped.ortLogits(in, x, N), q = Shipped.ortLogits(out, x, N);
        double accFp = Shipped.accuracy(fp, y), accQ = Shipped.accuracy(q, y);
        assertTrue(accQ >= accFp - 0.02, "int8 " + accQ + " vs fp32 " + accFp);
        double maxDiff = 0;
        for (int i = 0; i < N; i++) for (int j = 0; j < 10; j++) maxDiff = Math.max(maxDiff, Math.abs(fp[i][j] - q[i][j]));
        assertTrue(maxDiff > 1e-3, "quantization changed the logits (max diff " + maxDiff + ")");
    }

    @Test
    void rangesFromCalibrateGiveTheModelCalibratingInQuantizeGives(@TempDir Path dir) throws Exception {
        Path in = Shipped.fashionModel(dir), ranges = dir.resolve("ranges.json"), a = dir.resolve("a.onnx"), b = dir.resolve("b.onnx");
        Cli.Result c = Cli.run("calibrate", in.toString(), "--data", "builtin:fashion", "--samples", "96", "--calibration-method", "entropy", "-o", ranges.toString());
        assertEquals(0, c.code(), c.err());
        JsonNode j = new ObjectMapper().readTree(ranges.toFile());
        // the quantized nodes' inputs (image, maxpool_3, flatten_8) and outputs (the two folded Convs', the logits)
        assertEquals(6, j.get("values").size(), j.toString());
        assertEquals(96, j.get("samples").asInt());
        Cli.Result viaRanges = Cli.run("quantize", in.toString(), "-o", a.toString(), "--mode", "static", "--ranges", ranges.toString());
        Cli.Result direct = Cli.run("quantize", in.toString(), "-o", b.toString(), "--mode", "static", "--calibration", "builtin:fashion", "--samples", "96",
                "--calibration-method", "entropy");
        assertEquals(0, viaRanges.code(), viaRanges.err());
        assertEquals(0, direct.code(), direct.err());
        try (Model ma = OnnxReader.read(a); Model mb = OnnxReader.read(b)) {
            assertEquals(mb.graph().initializers().keySet(), ma.graph().initializers().keySet());
            for (var e : mb.graph().initializers().entrySet())
                assertTrue(e.getValue().contentEquals(ma.graph().initializers().get(e.getKey())), e.getKey());
        }
        Cli.Result otherType = Cli.run("quantize", in.toString(), "-o", a.toString(), "--mode", "static", "--ranges", ranges.toString(), "--activations", "s8");
        assertEquals(3, otherType.code(), otherType.err());
        assertTrue(otherType.err().startsWith("quant4j: " + ranges + ": ranges were chosen for UINT8"), otherType.err());
    }

    @Test
    void inputsAreNeverOverwrittenAndOutputsAppearWhole(@TempDir Path dir) throws Exception {
        Path in = Shipped.fashionModel(dir), out = dir.resolve("out.onnx");
        String before = Shipped.sha256(in);
        Cli.Result same = Cli.run("quantize", in.toString(), "-o", in.toString(), "--mode", "dynamic");
        assertEquals(2, same.code(), same.err());
        assertTrue(same.err().contains("refusing to overwrite an input"), same.err());
        assertEquals(before, Shipped.sha256(in));
        Cli.Result sameRanges = Cli.run("calibrate", in.toString(), "--data", "builtin:fashion", "-o", in.toString());
        assertEquals(2, sameRanges.code(), sameRanges.err());
        assertEquals(before, Shipped.sha256(in));

        Files.writeString(out, "an older result");
        Path bad = Files.write(dir.resolve("bad.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 5, 0, '{', 'x'});
        Cli.Result r = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "static", "--calibration", bad.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().startsWith("quant4j: " + bad + ": "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("an older result", Files.readString(out), "a failed run leaves the old output alone");
        Path wrongShape = dir.resolve("shape.npz");
        dev.quant4j.data.npy.Npz.write(wrongShape, Map.of("image", dev.quant4j.data.npy.NpyArray.ofFloats(new long[] {4, 30, 30}, new float[4 * 900])), false);
        Cli.Result shape = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "static", "--calibration", wrongShape.toString());
        assertEquals(3, shape.code(), shape.err());
        assertEquals("quant4j: " + wrongShape + ": array 'image' has 900 values per sample (shape [4, 30, 30]); the model input [N,1,28,28] needs 784\n",
                shape.err());
        assertEquals("an older result", Files.readString(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary files left behind");
        }
    }

    @Test
    void policyKeepsANodeInFloatAndSaysWhy(@TempDir Path dir) throws Exception {
        Path in = Shipped.fashionModel(dir), out = dir.resolve("out.onnx");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules:\n  - node: gemm_9\n    precision: fp32\n");
        Cli.Result r = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "static", "--policy", policy.toString(), "--calibration",
                "builtin:fashion", "--samples", "64", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode entries = new ObjectMapper().readTree(r.out()).get("passes").get(0).get("entries");
        int quantized = 0;
        for (JsonNode e : entries) {
            if (e.get("node").asText().equals("gemm_9")) {
                assertEquals("KEPT", e.get("outcome").asText());
                assertTrue(e.get("reason").asText().contains("rule 0 (node 'gemm_9')"), e.toString());
            } else if (e.get("outcome").asText().equals("QUANTIZED")) quantized++;
        }
        assertEquals(2, quantized, "both Convs follow the mode: " + entries);
        try (Model m = OnnxReader.read(out)) {
            var gemm = m.graph().nodes().stream().filter(n -> n.opType().equals("Gemm")).findFirst().orElseThrow();
            assertTrue(m.graph().initializers().containsKey(gemm.input(1)), "Gemm reads its float weight directly");
        }
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"rules\": [{\"node\": \"x\"}]}");
        Cli.Result bad = Cli.run("quantize", in.toString(), "-o", out.toString(), "--mode", "dynamic", "--policy", broken.toString());
        assertEquals(3, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("quant4j: " + broken + ": "), bad.err());
    }

    /** INT4 weight-only on a generated model: MatMulNBits in the file, ONNX Runtime's output within int4 error of the float model's. */
    @Test
    void weightOnlyInt4OnAGeneratedMatMul(@TempDir Path dir) throws Exception {
        int k = 64, n = 32, rows = 8;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] w = new float[k * n], x = new float[rows * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        NetBuilder b = new NetBuilder("mm", false);
        String in = b.input("x", k);
        String y = b.op("MatMul", null, in, b.param("w", w, k, n));
        b.graph().renameValue(y, "y");
        Path fp = dir.resolve("mm.onnx"), q = dir.resolve("mm-int4.onnx");
        try (Model m = b.output("y", n)) {
            OnnxWriter.write(m, fp);
        }
        Cli.Result r = Cli.run("quantize", fp.toString(), "-o", q.toString(), "--mode", "weight-only", "--bits", "4", "--block-size", "32");
        assertEquals(0, r.code(), r.err());
        try (Model m = OnnxReader.read(q)) {
            assertTrue(m.graph().nodes().stream().anyMatch(nd -> nd.opType().equals("MatMulNBits")), "MatMulNBits written");
        }
        float[] ref = ort(fp, x, rows, k), got = ort(q, x, rows, k);
        double err = 0, sig = 0;
        for (int i = 0; i < ref.length; i++) {
            err += (ref[i] - got[i]) * (double) (ref[i] - got[i]);
            sig += ref[i] * (double) ref[i];
        }
        double rel = Math.sqrt(err / sig);
        // 4-bit symmetric RTN of Gaussian weights: relative error around 1/10, never zero, far from 1
        assertTrue(rel > 0.01 && rel < 0.2, "relative error " + rel);
        // the agreement path of eval, fed from an NPZ named like the input: SQNR to the float model, as computed above
        Path npz = dir.resolve("x.npz");
        dev.quant4j.data.npy.Npz.write(npz, Map.of("x", dev.quant4j.data.npy.NpyArray.ofFloats(new long[] {rows, k}, x)), true);
        Cli.Result e = Cli.run("eval", q.toString(), "--reference", fp.toString(), "--data", npz.toString(), "--task", "sqnr", "--engine", "ort", "--json");
        assertEquals(0, e.code(), e.err());
        assertEquals(-20 * Math.log10(rel), new ObjectMapper().readTree(e.out()).get("value").get("value").asDouble(), 0.01, "SQNR in dB");
        Cli.Result badBlock = Cli.run("quantize", fp.toString(), "-o", q.toString(), "--mode", "weight-only", "--block-size", "24");
        assertEquals(2, badBlock.code(), badBlock.err());
    }

    @Test
    void usageErrors(@TempDir Path dir) throws Exception {
        Path in = Shipped.fashionModel(dir), out = dir.resolve("o.onnx");
        for (String[] line : List.of(new String[] {"quantize", in.toString(), "-o", out.toString()},
                new String[] {"quantize", in.toString(), "-o", out.toString(), "--mode", "static"},
                new String[] {"quantize", in.toString(), "-o", out.toString(), "--mode", "weight-only", "--bits", "3"},
                new String[] {"quantize", in.toString(), "-o", out.toString(), "--mode", "int3"},
                new String[] {"quantize", in.toString(), "--mode", "dynamic"})) {
            Cli.Result r = Cli.run(line);
            assertEquals(2, r.code(), String.join(" ", line) + "\n" + r.err());
            assertFalse(Files.exists(out));
        }
    }

    private static float[] ort(Path model, float[] x, int rows, int k) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, k});
             OrtSession.Result r = s.run(Map.of("x", t))) {
            float[][] v = (float[][]) r.get(0).getValue();
            float[] flat = new float[v.length * v[0].length];
            for (int i = 0; i < v.length; i++) System.arraycopy(v[i], 0, flat, i * v[0].length, v[0].length);
            return flat;
        }
    }
}
