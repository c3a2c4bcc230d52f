package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.testkit.TestData;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Backprop through an imported model as exported by its authors (PP-OCR's direction classifier,
 * opset 9: Conv, inference BatchNorm, HardSigmoid, Clip, MaxPool, GlobalAveragePool, MatMul,
 * Softmax, and shape arithmetic). The directional derivative of L = Σ r·y along a random
 * direction v of the image is checked against central differences of the runtime's forward.
 */
class ImportedModelGradTest {
    @Test void ppocrDirectionClassifierInputGradient() throws Exception {
        try (Model m = OnnxReader.read(TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"))) {
            String in = m.graph().feedInputs().get(0).name(), out = m.graph().outputNames().get(0);
            long[] shape = {1, 3, 48, 192};
            int n = 3 * 48 * 192;
            SplittableRandom r = new SplittableRandom(5);
            float[] x = new float[n], v = new float[n];
            for (int i = 0; i < n; i++) { x[i] = (float) (r.nextDouble() * 2 - 1); v[i] = (float) (r.nextDouble() * 2 - 1); }
            float[] g;
            float[] w;
            try (Backprop bp = new Backprop(m)) {
                Backprop.Tape tape = bp.forward(Map.of(in, Tensor.of(x, shape)));
                int outs = (int) tape.outputs().get(out).elementCount();
                w = new float[outs];
                for (int i = 0; i < outs; i++) w[i] = i % 2 == 0 ? 1f : -1f;
                g = bp.backward(tape, Map.of(out, w), Set.of(in)).get(in);
            }
            double analytic = 0;
            for (int i = 0; i < n; i++) analytic += (double) g[i] * v[i];
            // h = 1e-3 moves thousands of Relu/Clip/HardSigmoid inputs across their kinks (5.8% off);
            // at 1e-4 the two agree to 0.5%, near the fp32 round-off of the loss (~6e-8/h).
            double h = 1e-4;
            double[] l = new double[2];
            try (Session s = Session.create(m)) {
                for (int k = 0; k < 2; k++) {
                    float[] p = new float[n];
                    for (int i = 0; i < n; i++) p[i] = (float) (x[i] + (k == 0 ? h : -h) * v[i]);
                    float[] y = s.run(Map.of(in, Tensor.of(p, shape))).get(out).floats();
                    for (int i = 0; i < y.length; i++) l[k] += (double) w[i] * y[i];
                }
            }
            double numeric = (l[0] - l[1]) / (2 * h);
            assertEquals(numeric, analytic, 0.02 * Math.abs(numeric) + 1e-3, "directional derivative: backward " + analytic + ", central difference " + numeric);
        }
    }
}
