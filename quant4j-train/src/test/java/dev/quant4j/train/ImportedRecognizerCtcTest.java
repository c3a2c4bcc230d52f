package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.data.Sample;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.testkit.TestData;
import dev.quant4j.train.quant.QuantAwareTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CTC through an imported recognizer: PP-OCRv4 rec (opset 9; SVTR blocks with LayerNorm in its
 * ReduceMean form, Sigmoid, Squeeze, Slice) trained on the logits before its final Softmax. On a
 * rendered line the true text must cost less than a wrong one, and the gradient of the CTC loss
 * with respect to the image, along a random direction, must match central differences of the
 * runtime's forward followed by the loss.
 */
class ImportedRecognizerCtcTest {
    @Test void ctcGradientThroughTheRecognizer() throws Exception {
        List<String> keys = Files.readAllLines(TestData.require("models/ppocr/ppocr_keys_v1.txt"), StandardCharsets.UTF_8);
        String text = "the jury said";
        Sample s = new TextLineDataset(List.of(text), new TextLineRenderer("DejaVu Sans"), TextLineDataset.Task.RECOGNITION, 320, 1).get(0);
        long[] shape = {1, 3, 48, s.shape()[2]};
        int[][] target = {ids(text, keys)}, wrong = {ids("a wrong text", keys)};
        try (Model m = QuantAwareTraining.logitsOf(OnnxReader.read(TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx")))) {
            String in = m.graph().feedInputs().get(0).name(), out = m.graph().outputNames().get(0);
            float[] x = s.data();
            int n = x.length;
            float[] g;
            long[] ys;
            CtcLoss.Result loss;
            try (Backprop bp = new Backprop(m)) {
                Backprop.Tape tape = bp.forward(Map.of(in, Tensor.of(x, shape)));
                Tensor y = tape.outputs().get(out);
                ys = y.shape();
                loss = CtcLoss.ofLogits(y.floats(), 1, (int) ys[1], (int) ys[2], target, 0);
                double other = CtcLoss.ofLogits(y.floats(), 1, (int) ys[1], (int) ys[2], wrong, 0).loss();
                System.out.printf("PP-OCRv4 rec CTC loss: rendered text %.4f, a wrong text %.4f (T = %d frames)%n", loss.loss(), other, ys[1]);
                assertTrue(loss.loss() < 2 && other > loss.loss() + 10, "CTC loss of the rendered text " + loss.loss() + ", of a wrong text " + other);
                // the gradient is checked for the wrong text: its loss is large, so the central
                // difference stands well above the fp32 round-off of the forward (the true text's
                // loss is so small that its derivative along v is the size of that round-off)
                loss = CtcLoss.ofLogits(y.floats(), 1, (int) ys[1], (int) ys[2], wrong, 0);
                g = bp.backward(tape, Map.of(out, loss.grad()), Set.of(in)).get(in);
            }
            SplittableRandom r = new SplittableRandom(9);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
            double analytic = 0;
            for (int i = 0; i < n; i++) analytic += (double) g[i] * v[i];
            // measured on this line: h = 3e-3 crosses Clip/HardSigmoid kinks (34.7), 3e-4 gives 61.7,
            // 1e-4 gives 62.75 against the backward's 63.10; at 3e-5 fp32 round-off of a loss of
            // ~179 takes over (60.9)
            double h = 1e-4;
            double[] l = new double[2];
            try (Session sess = Session.create(m)) {
                for (int k = 0; k < 2; k++) {
                    float[] p = new float[n];
                    for (int i = 0; i < n; i++) p[i] = (float) (x[i] + (k == 0 ? h : -h) * v[i]);
                    float[] y = sess.run(Map.of(in, Tensor.of(p, shape))).get(out).floats();
                    l[k] = CtcLoss.ofLogits(y, 1, (int) ys[1], (int) ys[2], wrong, 0).loss();
                }
            }
            double numeric = (l[0] - l[1]) / (2 * h);
            System.out.printf("PP-OCRv4 rec CTC: directional derivative backward %.6g, central difference %.6g%n", analytic, numeric);
            assertEquals(numeric, analytic, 0.03 * Math.abs(numeric) + 1e-3, "directional derivative: backward " + analytic + ", central difference " + numeric);
        }
    }

    /** PP-OCR's labels: 0 is the blank, 1.. the lines of the key file, the last index a space. */
    private static int[] ids(String text, List<String> keys) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            String c = text.substring(i, i + 1);
            int k = c.equals(" ") ? keys.size() + 1 : keys.indexOf(c) + 1;
            if (k == 0) throw new IllegalArgumentException("'" + c + "' is not in the recognizer's dictionary");
            ids[i] = k;
        }
        return ids;
    }
}
