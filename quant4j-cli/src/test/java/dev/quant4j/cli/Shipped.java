package dev.quant4j.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The shipped Fashion CNN and its evaluation slice for tests, and ONNX Runtime as the reference engine. */
final class Shipped {
    private Shipped() {}

    static Path fashionModel(Path dir) throws Exception {
        Path f = dir.resolve("fashion-cnn.onnx");
        Files.write(f, resource("fashion-cnn.onnx"));
        return f;
    }

    static byte[] resource(String name) throws Exception {
        try (InputStream in = Shipped.class.getResourceAsStream("/dev/quant4j/models/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The slice's first n images in [0, 1] as [n,1,28,28] and their labels. */
    static float[] images(int n) throws Exception {
        NpyArray a = Npy.parse(MemorySegment.ofArray(resource("fashion-eval-images.npy")), "images");
        float[] x = a.floats(0, n * 784);
        for (int i = 0; i < x.length; i++) x[i] /= 255;
        return x;
    }

    static long[] labels(int n) throws Exception {
        long[] l = Npy.parse(MemorySegment.ofArray(resource("fashion-eval-labels.npy")), "labels").toLongs();
        return java.util.Arrays.copyOf(l, n);
    }

    /** Logits [n][10] of a Fashion model in ONNX Runtime. */
    static float[][] ortLogits(Path model, float[] images, int n) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {n, 1, 28, 28});
             OrtSession.Result r = s.run(Map.of("image", t))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    static double accuracy(float[][] logits, long[] labels) {
        int hit = 0;
        for (int i = 0; i < labels.length; i++) {
            int arg = 0;
            for (int j = 1; j < logits[i].length; j++) if (logits[i][j] > logits[i][arg]) arg = j;
            if (arg == labels[i]) hit++;
        }
        return (double) hit / labels.length;
    }

    static String sha256(Path f) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
