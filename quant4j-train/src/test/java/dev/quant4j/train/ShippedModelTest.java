package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.testkit.TestData;
import dev.quant4j.train.examples.TrainFashionCnn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The built-in example shipped in the jar (weights made by TrainFashionCnn): its accuracy on the
 * full Fashion-MNIST test set in quant4j's runtime and in ONNX Runtime, and its evaluation slice.
 */
class ShippedModelTest {
    static Path resource(String name) throws Exception {
        return Path.of(ShippedModelTest.class.getResource("/dev/quant4j/models/" + name).toURI());
    }

    static int ortCorrect(OrtRunner ort, ImageSet d, int batch) throws Exception {
        int correct = 0, sz = d.itemSize();
        for (int from = 0; from < d.size(); from += batch) {
            int m = Math.min(batch, d.size() - from);
            float[] x = new float[m * sz];
            System.arraycopy(d.pixels(), from * sz, x, 0, x.length);
            float[] y = ort.run(x, d.batchShape(m));
            for (int i = 0; i < m; i++) {
                int arg = 0;
                for (int j = 1; j < 10; j++) if (y[i * 10 + j] > y[i * 10 + arg]) arg = j;
                if (arg == d.labels()[from + i]) correct++;
            }
        }
        return correct;
    }

    static ImageSet slice() throws Exception {
        NpyArray px = Npy.read(resource(TrainFashionCnn.SLICE_IMAGES)), lb = Npy.read(resource(TrainFashionCnn.SLICE_LABELS));
        double[] p = px.toDoubles();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) f[i] = (float) (p[i] / 255);
        long[] l = lb.toLongs();
        int[] labels = new int[l.length];
        for (int i = 0; i < l.length; i++) labels[i] = (int) l[i];
        return new ImageSet(f, labels, new long[] {1, 28, 28});
    }

    @Test void reachesNinetyPercentOnTheFullTestSetInBothEngines() throws Exception {
        Path dir = TestData.require("datasets/fashion-mnist");
        ImageSet test = ImageSet.load(IdxDataset.fashionMnist(dir, "t10k"), Integer.MAX_VALUE);
        try (Model m = OnnxReader.read(resource(TrainFashionCnn.MODEL_FILE))) {
            double ours = Evaluation.accuracy(m, test, 500);
            double ort;
            try (OrtRunner r = new OrtRunner(m)) { ort = ortCorrect(r, test, 500) / (double) test.size(); }
            assertTrue(ours >= 0.90, "quant4j runtime accuracy " + ours);
            assertTrue(ort >= 0.90, "ONNX Runtime accuracy " + ort);
            assertEquals(ours, ort, 0.002, "the engines agree on all but a few borderline images");
        }
    }

    @Test void evaluationSliceIsTheFirstTestImages() throws Exception {
        Path dir = TestData.require("datasets/fashion-mnist");
        ImageSet s = slice(), test = ImageSet.load(IdxDataset.fashionMnist(dir, "t10k"), s.size());
        assertEquals(1000, s.size());
        for (int i = 0; i < s.pixels().length; i++) assertEquals(test.pixels()[i], s.pixels()[i], 1e-6);
        assertTrue(java.util.Arrays.equals(test.labels(), s.labels()));
    }

    @Test void evaluationSliceRunsInBothEngines() throws Exception {
        ImageSet s = slice();
        try (Model m = OnnxReader.read(resource(TrainFashionCnn.MODEL_FILE)); OrtRunner r = new OrtRunner(m)) {
            double ours = Evaluation.accuracy(m, s, 500), ort = ortCorrect(r, s, 500) / (double) s.size();
            assertTrue(ours >= 0.88 && Math.abs(ours - ort) <= 0.003, "slice accuracy quant4j " + ours + ", ONNX Runtime " + ort);
        }
    }

    /** The shipped W4A8 QAT model (QDQ ONNX written by QatFashionCnn): both engines, same predictions on the slice. */
    @Test void qatQdqModelRunsInBothEngines() throws Exception {
        ImageSet s = slice();
        try (Model m = OnnxReader.read(resource("fashion-cnn-w4a8-qat.onnx")); OrtRunner r = new OrtRunner(m)) {
            assertTrue(m.graph().nodes().stream().anyMatch(n -> n.opType().equals("DequantizeLinear")), "a QDQ model");
            double ours = Evaluation.accuracy(m, s, 500), ort = ortCorrect(r, s, 500) / (double) s.size();
            assertTrue(ours >= 0.85 && Math.abs(ours - ort) <= 0.003, "QAT slice accuracy quant4j " + ours + ", ONNX Runtime " + ort);
        }
    }
}
