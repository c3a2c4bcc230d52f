package dev.quant4j.data.faces;

import static org.junit.jupiter.api.Assertions.*;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.testkit.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LfwSubsetTest {
    static Path file() {
        return TestData.require("datasets/images/lfw_subset.npy");
    }

    @Test
    void twoHundredGreyImagesWithLabels() {
        LfwSubset ds = LfwSubset.open(file());
        assertEquals(200, ds.size());
        Sample s = ds.get(150);
        assertArrayEquals(new long[] {1, 25, 25}, s.shape());
        assertEquals(LfwSubset.NOT_FACE, s.label());
        assertEquals(LfwSubset.FACE, ds.get(99).label());
        double[] raw = Npy.read(file()).doubles(150L * 625, 625);
        for (int i = 0; i < 625; i++) assertEquals((float) raw[i], s.data()[i]);
        Sample b = ds.blazeFace().get(0);
        assertArrayEquals(new long[] {128, 128, 3}, b.shape());
        for (int i = 0; i < b.data().length; i += 3) {
            assertTrue(b.data()[i] >= -1 && b.data()[i] <= 1);
            assertEquals(b.data()[i], b.data()[i + 1]);
            assertEquals(b.data()[i], b.data()[i + 2]);
        }
    }

    @Test
    void wrongShapeOrTruncatedFileNamesTheFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        Path f = tmp.resolve("lfw.npy");
        Npy.write(f, dev.quant4j.data.npy.NpyArray.of(dev.quant4j.data.npy.NpyDtype.F8, new long[] {10, 25, 25}, new double[10 * 625]));
        dev.quant4j.data.DataFileException e = assertThrows(dev.quant4j.data.DataFileException.class, () -> LfwSubset.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("200 grey images"), e.getMessage());
        byte[] real = java.nio.file.Files.readAllBytes(file());
        java.nio.file.Files.write(f, java.util.Arrays.copyOf(real, real.length - 8));
        e = assertThrows(dev.quant4j.data.DataFileException.class, () -> LfwSubset.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    /**
     * The testdata README's reference: BlazeFace front-128 on lfw_subset with this preprocessing,
     * scored by the largest sigmoid of both score outputs, separates faces perfectly (AUC 1.000).
     */
    @Test
    void blazeFaceSeparatesFacesFromNonFaces() throws OrtException {
        Path model = TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx");
        Dataset<Sample> ds = LfwSubset.open(file()).blazeFace();
        double[] score = new double[200];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), o)) {
                for (int i = 0; i < 200; i++) {
                    Sample s = ds.get(i);
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(s.data()), new long[] {1, 128, 128, 3});
                         OrtSession.Result r = session.run(Map.of("input:0", x))) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (String out : new String[] {"Identity:0", "Identity_1:0"}) {
                            float[][][] v = (float[][][]) r.get(out).orElseThrow().getValue();
                            for (float[] a : v[0]) best = Math.max(best, a[0]);
                        }
                        score[i] = 1 / (1 + Math.exp(-best));
                    }
                }
            }
        }
        // AUC as the fraction of (face, non-face) pairs ordered correctly, ties counting half
        double pairs = 0;
        for (int f = 0; f < 100; f++)
            for (int n = 100; n < 200; n++) pairs += score[f] > score[n] ? 1 : score[f] == score[n] ? 0.5 : 0;
        double auc = pairs / (100 * 100);
        System.out.printf("BlazeFace on lfw_subset: AUC %.4f%n", auc);
        assertTrue(auc >= 0.999, "AUC " + auc);
    }
}
