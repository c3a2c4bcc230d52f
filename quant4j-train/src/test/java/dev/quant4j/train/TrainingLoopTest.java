package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.train.examples.FashionCnn;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The whole example network end to end: gradients of the loss, a seeded loop, learning. */
class TrainingLoopTest {
    private static final int N = 4;

    private static float[] images(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        return x;
    }

    private static double loss(Backprop bp, Map<String, float[]> p, Map<String, long[]> shapes, float[] x, int[] labels) {
        Map<String, Tensor> feeds = new HashMap<>();
        p.forEach((k, v) -> feeds.put(k, Tensor.of(v, shapes.get(k))));
        feeds.put(FashionCnn.INPUT, Tensor.of(x, N, 1, 28, 28));
        return CrossEntropy.of(bp.forward(feeds).outputs().get(FashionCnn.OUTPUT).floats(), labels, 10).loss();
    }

    /** Cross-entropy gradients of every trainable tensor (BN in training mode) against central differences of the loss. */
    @Test void wholeNetworkGradientsMatchFiniteDifferences() {
        Map<String, float[]> p = FashionCnn.init(2, 3, 11);
        Model m = FashionCnn.build(p, true);
        Map<String, long[]> shapes = new HashMap<>();
        m.graph().inputs().forEach(v -> { if (m.graph().initializers().containsKey(v.name())) shapes.put(v.name(), v.shape().toArray()); });
        float[] x = images(12, N);
        int[] labels = {3, 1, 4, 1};
        try (Backprop bp = new Backprop(m)) {
            Map<String, Tensor> feeds = new HashMap<>();
            p.forEach((k, v) -> feeds.put(k, Tensor.of(v, shapes.get(k))));
            feeds.put(FashionCnn.INPUT, Tensor.of(x, N, 1, 28, 28));
            Backprop.Tape tape = bp.forward(feeds);
            CrossEntropy.Result ce = CrossEntropy.of(tape.outputs().get(FashionCnn.OUTPUT).floats(), labels, 10);
            Map<String, float[]> g = bp.backward(tape, Map.of(FashionCnn.OUTPUT, ce.grad()), FashionCnn.trainable());
            SplittableRandom r = new SplittableRandom(13);
            // Small h: Relu and MaxPool kinks make wider differences average over a switch (seen at
            // h = 2e-3 on the first layer); fp32 round-off of the loss stays ~1e-7·|L|/h ≈ 1e-3.
            double h = 3e-4;
            for (String name : FashionCnn.trainable()) {
                float[] v = p.get(name);
                for (int t = 0; t < 4; t++) {
                    int i = r.nextInt(v.length);
                    float keep = v[i];
                    v[i] = (float) (keep + h);
                    double lp = loss(bp, p, shapes, x, labels);
                    v[i] = (float) (keep - h);
                    double lm = loss(bp, p, shapes, x, labels);
                    v[i] = keep;
                    double num = (lp - lm) / (2 * h);
                    assertEquals(num, g.get(name)[i], 2e-3 + 0.03 * Math.abs(num), name + "[" + i + "]");
                }
            }
        }
    }

    private static Map<String, float[]> train(long seed, int steps) {
        Map<String, float[]> p = FashionCnn.init(2, 3, seed);
        float[] x = images(seed + 1, 16);
        int[] labels = new int[16];
        // two classes told apart by the brightness of the top half: learnable in a few steps
        for (int i = 0; i < 16; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < 392; k++) x[i * 784 + k] *= labels[i] == 1 ? 1f : 0.2f;
        }
        double first = 0, last = 0;
        try (Trainer t = new Trainer(FashionCnn.build(p, true), FashionCnn.trainable(), FashionCnn.runningStatOutputs(),
                AdamW.defaults(1e-4, Set.of()), SessionOptions.defaults())) {
            for (int s = 0; s < steps; s++) {
                double l = t.step(x, new long[] {16, 1, 28, 28}, labels, 1e-2).loss();
                if (s == 0) first = l;
                last = l;
            }
            assertTrue(last < 0.5 * first, "loss should fall: first " + first + ", last " + last);
            assertTrue(!java.util.Arrays.equals(t.params().get("bn1.mean"), new float[2]), "running statistics are updated");
            return t.params();
        }
    }

    @Test void seededTrainingLearnsAndIsReproducible() {
        Map<String, float[]> a = train(21, 25), b = train(21, 25);
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
    }

    @Test void sgdMomentumFollowsItsDefinition() {
        SgdMomentum sgd = new SgdMomentum(0.9, 0.1);
        float[] w = {1f, -2f};
        Map<String, float[]> p = Map.of("w", w);
        sgd.step(p, Map.of("w", new float[] {0.5f, 0.25f}), 0.1);
        sgd.step(p, Map.of("w", new float[] {0.5f, 0.25f}), 0.1);
        // v1 = g + λw0; w1 = w0 − lr·v1; v2 = μv1 + g + λw1; w2 = w1 − lr·v2 (in double here)
        double v1 = 0.5 + 0.1 * 1, w1 = 1 - 0.1 * v1, v2 = 0.9 * v1 + 0.5 + 0.1 * w1, w2 = w1 - 0.1 * v2;
        assertEquals(w2, w[0], 1e-6);
    }

    @Test void adamWFirstStepMovesByTheLearningRate() {
        AdamW adam = AdamW.defaults(0.5, Set.of("b"));
        float[] w = {1f}, b = {1f};
        adam.step(Map.of("w", w, "b", b), Map.of("w", new float[] {3f}, "b", new float[] {-0.01f}), 0.01);
        // bias-corrected m/√v = sign(g) on the first step; decoupled decay λ·lr·w only for w
        assertEquals(1 - 0.01 * 0.5 - 0.01, w[0], 1e-6);
        assertEquals(1 + 0.01, b[0], 1e-6);
    }
}
