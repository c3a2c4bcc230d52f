package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.testkit.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An NHWC model from a folder of real photographs: BlazeFace ([1,128,128,3], values in [-1, 1]
 * by --mean 0.5 --std 0.5) calibrated and quantized from the test data's sample images (colour and
 * grey), then scored in ONNX Runtime: the astronaut's face is found by both models and the other
 * images (a cat, a cup, text) score below it.
 */
class ImageFolderBlazeFaceTest {
    private static final List<String> IMAGES = List.of("astronaut", "chelsea", "coffee", "page", "text");

    /** Face score = max sigmoid over both score outputs (the test data README's measure). */
    private static double faceScore(OrtSession s, OrtEnvironment env, Tensor x) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape()); OrtSession.Result r = s.run(Map.of("input:0", t))) {
            double best = Double.NEGATIVE_INFINITY;
            for (String out : List.of("Identity:0", "Identity_1:0")) {
                FloatBuffer b = ((OnnxTensor) r.get(out).orElseThrow()).getFloatBuffer();
                while (b.hasRemaining()) best = Math.max(best, b.get());
            }
            return 1 / (1 + Math.exp(-best));
        }
    }

    @Test
    void blazeFaceFromAFolderOfPhotographs(@TempDir Path tmp) throws Exception {
        Path model = TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx");
        Path dir = Files.createDirectories(tmp.resolve("photos")), q = tmp.resolve("q.onnx");
        for (String n : IMAGES) Files.copy(TestData.require("datasets/images/" + n + ".png"), dir.resolve(n + ".png"));
        Cli.Result r = Cli.run("quantize", model.toString(), "-o", q.toString(), "--mode", "static", "--calibration", dir.toString(), "--mean", "0.5",
                "--std", "0.5", "--batch", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(IMAGES.size(), j.get("calibrationSamples").asInt());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double[] fp = new double[IMAGES.size()], qs = new double[IMAGES.size()];
        try (Model m = OnnxReader.read(model); OrtSession a = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OrtSession b = env.createSession(q.toString(), new OrtSession.SessionOptions())) {
            ImageOptions o = new ImageOptions();
            o.mean = new float[] {0.5f};
            o.std = new float[] {0.5f};
            SampleData d = SampleData.open(dir.toString(), null, null, o, m, 100);
            for (int i = 0; i < d.size(); i++) {
                Tensor x = d.batch(i, i + 1).get("input:0");
                assertEquals(List.of(1L, 128L, 128L, 3L), java.util.Arrays.stream(x.shape()).boxed().toList());
                float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
                for (float v : x.floats()) { min = Math.min(min, v); max = Math.max(max, v); }
                assertTrue(min >= -1 && max <= 1 && max - min > 1, IMAGES.get(i) + ": values in [" + min + ", " + max + "]");
                fp[i] = faceScore(a, env, x);
                qs[i] = faceScore(b, env, x);
            }
        }
        System.out.println("BlazeFace face scores from the image folder " + IMAGES + ": fp32 " + java.util.Arrays.toString(fp) + ", int8 " + java.util.Arrays.toString(qs));
        for (double[] s : List.of(fp, qs)) {
            assertTrue(s[0] > 0.5, "astronaut: " + s[0]);
            for (int i = 1; i < s.length; i++) assertTrue(s[i] < 0.5 && s[i] < s[0], IMAGES.get(i) + " " + s[i] + " vs astronaut " + s[0]);
        }
    }
}
