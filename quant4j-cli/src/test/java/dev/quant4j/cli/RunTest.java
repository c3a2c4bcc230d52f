package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.testkit.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant4j run}: outputs against the ONNX backend tests' expected outputs and against ONNX Runtime. */
class RunTest {
    @Test
    void backendTestMatchesTheExpectedOutput(@TempDir Path dir) throws Exception {
        Path t = TestData.require("onnx-backend-tests/node/test_matmul_3d");
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy");
        Npy.write(a, NpyTensors.toNpy(OnnxReader.readTensor(t.resolve("test_data_set_0/input_0.pb")), "a"));
        Npy.write(b, NpyTensors.toNpy(OnnxReader.readTensor(t.resolve("test_data_set_0/input_1.pb")), "b"));
        Cli.Result r = Cli.run("run", t.resolve("model.onnx").toString(), "--input", "a=" + a, "--input", "b=" + b, "-o", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("run "), r.out());
        Tensor expected = OnnxReader.readTensor(t.resolve("test_data_set_0/output_0.pb"));
        NpyArray got = Npy.read(dir.resolve("out/c.npy"));
        assertArrayEquals(expected.shape(), got.shape());
        float[] e = expected.floats(), g = got.toFloats();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 1e-5 * Math.max(1, Math.abs(e[i])), "element " + i);
    }

    @Test
    void realModelAgreesWithOnnxRuntime(@TempDir Path dir) throws Exception {
        Path model = TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        long[] shape = {2, 3, 48, 192};
        float[] x = new float[2 * 3 * 48 * 192];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        Path in = dir.resolve("x.npy");
        Npy.write(in, NpyArray.ofFloats(shape, x));
        Cli.Result r = Cli.run("run", model.toString(), "-i", "x=" + in, "-o", dir.toString());
        assertEquals(0, r.code(), r.err());
        float[] got = Npy.read(dir.resolve("softmax_0.tmp_0.npy")).toFloats();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result res = s.run(Map.of("x", t))) {
            float[][] want = (float[][]) res.get(0).getValue();
            assertEquals(2 * want[0].length, got.length);
            for (int n = 0; n < 2; n++)
                for (int c = 0; c < want[n].length; c++) assertEquals(want[n][c], got[n * want[n].length + c], 1e-4, "[" + n + "," + c + "]");
        }
    }

    @Test
    void inputProblems(@TempDir Path dir) throws Exception {
        Path t = TestData.require("onnx-backend-tests/node/test_matmul_3d");
        Path m = t.resolve("model.onnx");
        Path a = dir.resolve("a.npy"), wrongType = dir.resolve("w.npy"), bad = Files.write(dir.resolve("bad.npy"), new byte[] {1, 2, 3});
        Npy.write(a, NpyTensors.toNpy(OnnxReader.readTensor(t.resolve("test_data_set_0/input_0.pb")), "a"));
        Npy.write(wrongType, NpyArray.ofLongs(new long[] {2, 3, 4}, new long[24]));
        Cli.Result missing = Cli.run("run", m.toString(), "--input", "a=" + a);
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("missing --input b=FILE.npy"), missing.err());
        Cli.Result unknown = Cli.run("run", m.toString(), "--input", "a=" + a, "--input", "b=" + a, "--input", "zz=" + a);
        assertEquals(2, unknown.code(), unknown.err());
        Cli.Result corrupt = Cli.run("run", m.toString(), "--input", "a=" + a, "--input", "b=" + bad);
        assertEquals(3, corrupt.code());
        assertTrue(corrupt.err().startsWith("quant4j: " + bad + ": "), corrupt.err());
        Cli.Result type = Cli.run("run", m.toString(), "--input", "a=" + a, "--input", "b=" + wrongType);
        assertEquals(3, type.code());
        assertEquals("quant4j: " + wrongType + ": input b must be FLOAT32, the file holds INT64\n", type.err());
        Cli.Result shape = Cli.run("run", m.toString(), "--input", "a=" + a, "--input", "b=" + a);
        assertEquals(3, shape.code(), shape.err());
        assertTrue(shape.err().contains("input b must have shape [2,4,3]"), shape.err());
    }
}
