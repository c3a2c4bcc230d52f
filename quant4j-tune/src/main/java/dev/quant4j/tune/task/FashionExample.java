package dev.quant4j.tune.task;

import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.train.examples.TrainFashionCnn;
import dev.quant4j.tune.EvalData;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * quant4j's built-in example, shipped in quant4j-train's jar: the Fashion-MNIST CNN it trained
 * (input "image" [N,1,28,28] in [0,1], output "logits" [N,10]) and its 1,000-image evaluation
 * slice (the first test images, uint8 pixels and labels). Needs no test data.
 */
public final class FashionExample {
    public static final String INPUT = "image", OUTPUT = "logits";
    private static final String DIR = "/dev/quant4j/models/";

    private FashionExample() {}

    /** The model's ONNX bytes. */
    public static byte[] modelBytes() throws IOException {
        return resource(TrainFashionCnn.MODEL_FILE);
    }

    /** The model, read from a temporary copy of the resource (the file is removed once mapped). */
    public static Model openModel() throws IOException {
        Path tmp = Files.createTempFile("fashion-cnn-", ".onnx");
        try {
            Files.write(tmp, modelBytes());
            return OnnxReader.read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The 1,000 labelled images of the evaluation slice, pixels scaled to [0, 1]. */
    public static EvalData<Sample> evaluationSlice() throws IOException {
        NpyArray px = parse(TrainFashionCnn.SLICE_IMAGES), lb = parse(TrainFashionCnn.SLICE_LABELS);
        long[] ps = px.shape(), ls = lb.shape();
        if (ps.length != 3 || ps[1] != 28 || ps[2] != 28 || ls.length != 1 || ls[0] != ps[0])
            throw new IOException("Fashion slice resources have shapes " + java.util.Arrays.toString(ps) + " and " + java.util.Arrays.toString(ls)
                    + ", expected [n, 28, 28] and [n]");
        double[] p = px.toDoubles();
        long[] labels = lb.toLongs();
        int n = (int) ps[0];
        Dataset<Sample> images = new Dataset<>() {
            @Override public int size() { return n; }
            @Override public Sample get(int i) {
                float[] f = new float[28 * 28];
                for (int j = 0; j < f.length; j++) f[j] = (float) (p[i * 784 + j] / 255);
                return new Sample(f, new long[] {1, 28, 28}, (int) labels[i]);
            }
            @Override public String name() { return "Fashion-MNIST evaluation slice (quant4j-train resources)"; }
        };
        return EvalData.of(images, EvalData.batchOfOne(INPUT));
    }

    /** Top-1 accuracy of the example model on {@code data}. */
    public static ClassificationTask task(EvalData<Sample> data) {
        return new ClassificationTask("Fashion-MNIST CNN top-1", data, OUTPUT);
    }

    private static NpyArray parse(String name) throws IOException {
        return Npy.parse(MemorySegment.ofArray(resource(name)), "classpath:" + DIR + name);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FashionExample.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw new IOException("classpath resource " + DIR + name + " not found (is quant4j-train on the class path?)");
            return in.readAllBytes();
        }
    }
}
