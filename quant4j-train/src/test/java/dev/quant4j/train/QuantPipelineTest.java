package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import dev.quant4j.train.examples.FashionCnn;
import dev.quant4j.quantize.ConvBatchNormFolder;
import dev.quant4j.train.quant.FakeQuantizer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BN folding, fake quantization and QDQ export on a small random-weight CNN, against ONNX Runtime. */
class QuantPipelineTest {
    private static Map<String, float[]> params(long seed) {
        Map<String, float[]> p = FashionCnn.init(4, 6, seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (String bn : new String[] {"bn1", "bn2"}) {
            for (String k : new String[] {"scale", "bias", "mean", "var"}) {
                float[] v = p.get(bn + "." + k);
                for (int i = 0; i < v.length; i++) v[i] = (float) (k.equals("var") || k.equals("scale") ? 0.5 + r.nextDouble() : r.nextDouble() - 0.5);
            }
        }
        return p;
    }

    private static ImageSet images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[n * 784];
        for (int i = 0; i < px.length; i++) px[i] = r.nextDouble() < 0.4 ? 0 : (float) r.nextDouble();
        int[] lb = new int[n];
        for (int i = 0; i < n; i++) lb[i] = r.nextInt(10);
        return new ImageSet(px, lb, new long[] {1, 28, 28});
    }

    private static float[] run(Model m, ImageSet d) {
        try (Session s = Session.create(m)) {
            return s.run(Map.of(FashionCnn.INPUT, Tensor.of(d.pixels(), d.batchShape(d.size())))).get(FashionCnn.OUTPUT).floats();
        }
    }

    @Test void foldingBatchNormKeepsTheOutputs() {
        Map<String, float[]> p = params(1);
        Model m = FashionCnn.build(p, false), f = FashionCnn.build(p, false);
        assertEquals(2, ConvBatchNormFolder.apply(f));
        assertTrue(f.graph().nodes().stream().noneMatch(n -> n.opType().equals("BatchNormalization")));
        ImageSet d = images(8, 2);
        float[] a = run(m, d), b = run(f, d);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4 * (1 + Math.abs(a[i])), "logit " + i);
    }

    @Test void qdqModelRunsTheSameInOnnxRuntimeAndQuant4j() throws Exception {
        Model f = FashionCnn.build(params(3), false);
        ConvBatchNormFolder.apply(f);
        for (DataType w : new DataType[] {DataType.INT8, DataType.INT4}) {
            FakeQuantizer.Result q = FakeQuantizer.apply(f, w, DataType.UINT8, images(64, 4), 32);
            long qdq = q.model().graph().nodes().stream().filter(n -> n.opType().equals("QuantizeLinear")).count();
            assertEquals(6, qdq, "3 weights + 3 activations fake-quantized");
            ImageSet d = images(16, 5);
            float[] ours = run(q.model(), d);
            float[] ref;
            try (OrtRunner ort = new OrtRunner(q.model())) { ref = ort.run(d.pixels(), d.batchShape(d.size())); }
            float[] fp = run(f, d);
            double maxErr = 0, quantErr = 0, span = 0;
            for (int i = 0; i < ref.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(ours[i] - ref[i]));
                quantErr = Math.max(quantErr, Math.abs(ours[i] - fp[i]));
                span = Math.max(span, Math.abs(ref[i]));
            }
            // Same QDQ arithmetic in both engines: differences only from fp32 summation order,
            // which may move an activation across a rounding boundary (one step of its scale).
            assertTrue(maxErr <= 0.02 * span, w + ": quant4j vs ONNX Runtime max |diff| " + maxErr + " of logits up to " + span);
            assertTrue(quantErr > maxErr, w + ": the fake quantization must change the outputs more than engine differences");
        }
    }

    /** QAT through the QDQ graph lowers the loss, and the exported model runs in both engines alike. */
    @Test void quantAwareTrainingLearnsAndExports() throws Exception {
        Model f = FashionCnn.build(params(5), false);
        ConvBatchNormFolder.apply(f);
        ImageSet d = images(32, 6);
        FakeQuantizer.Result q = FakeQuantizer.apply(f, DataType.INT4, DataType.UINT8, d, 32);
        double[] first = {Double.NaN}, last = {0};
        Model trained = dev.quant4j.train.quant.QuantAwareTraining.run(q, d,
                new dev.quant4j.train.quant.QuantAwareTraining.Settings(30, 5, 32, 3e-3, 0.05, 1), (k, r, warm) -> {
                    if (k == 0) first[0] = r.loss();
                    last[0] = r.loss();
                });
        assertTrue(last[0] < 0.7 * first[0], "QAT loss should fall on a fixed batch: " + first[0] + " -> " + last[0]);
        assertTrue(trained.graph().inputs().size() == 1, "exported model has only the data input");
        float[] ours = run(trained, d), ref;
        try (OrtRunner ort = new OrtRunner(trained)) { ref = ort.run(d.pixels(), d.batchShape(d.size())); }
        double maxErr = 0, span = 0;
        for (int i = 0; i < ref.length; i++) { maxErr = Math.max(maxErr, Math.abs(ours[i] - ref[i])); span = Math.max(span, Math.abs(ref[i])); }
        assertTrue(maxErr <= 0.02 * span, "quant4j vs ONNX Runtime max |diff| " + maxErr + " of " + span);
    }

    /** Q→DQ gradients against the LSQ formulas written out here in float64. */
    @Test void lsqGradientsOfAQuantizeDequantizePair() {
        NetBuilder b = new NetBuilder("qdq", true);
        String x = b.input("x", 3, 4); // [N, 3, 4], axis 1 has the 3 channels
        float[] sv = {0.05f, 0.11f, 0.02f};
        String s = b.param("s", sv, 3);
        String z = b.constant("z", Tensor.zeros(DataType.INT4, 3));
        String q = b.op("QuantizeLinear", new dev.quant4j.graph.Attributes().put("axis", 1L), x, s, z);
        String y = b.op("DequantizeLinear", new dev.quant4j.graph.Attributes().put("axis", 1L), q, s, z);
        Model m = b.output(y, 3, 4);
        SplittableRandom r = new SplittableRandom(9);
        float[] xv = new float[24], dy = new float[24];
        for (int i = 0; i < 24; i++) { xv[i] = (float) (r.nextDouble() * 1.2 - 0.6); dy[i] = (float) (r.nextDouble() * 2 - 1); }
        try (Backprop bp = new Backprop(m)) {
            var tape = bp.forward(Map.of("x", Tensor.of(xv, 2, 3, 4), "s", Tensor.of(sv, 3)));
            var g = bp.backward(tape, Map.of(y, dy), java.util.Set.of("x", "s"));
            double[] ds = new double[3];
            for (int i = 0; i < 24; i++) {
                int c = (i / 4) % 3;
                double v = xv[i] / (double) sv[c];
                boolean inside = v >= -8 && v <= 7;
                double expectDx = inside ? dy[i] : 0;
                assertEquals(expectDx, g.get("x")[i], 1e-6, "dx[" + i + "]");
                ds[c] += dy[i] * (inside ? Math.rint(v) - v : (v < -8 ? -8 : 7));
            }
            for (int c = 0; c < 3; c++) assertEquals(ds[c], g.get("s")[c], 1e-4, "ds[" + c + "]");
        }
    }
}
