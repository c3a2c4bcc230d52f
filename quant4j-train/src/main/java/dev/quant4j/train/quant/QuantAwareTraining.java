package dev.quant4j.train.quant;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.MovingAverageMinMaxObserver;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.data.Permutation;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.train.AdamW;
import dev.quant4j.train.CrossEntropy;
import dev.quant4j.train.ImageSet;
import dev.quant4j.train.Schedule;
import dev.quant4j.train.Trainer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * QAT fine-tuning of a fake-quantized classifier ({@link FakeQuantizer.Result}): the weights, biases
 * and every scale are trained through the QDQ graph (STE; LSQ scale gradients). For the first
 * {@code warmup} steps the activation scales follow moving-average min/max observers (zero-points
 * kept from calibration, as they are integer constants of the graph); then the observers are
 * frozen and LSQ learns the scales. A model whose output is a Softmax (an imported classifier) is
 * trained on that Softmax's input, so the cross-entropy sees logits; the exported model keeps it.
 * Returns the trained QDQ model, ready to export.
 */
public final class QuantAwareTraining {
    private QuantAwareTraining() {}

    public record Settings(int steps, int warmup, int batch, double lr, double scaleLrFactor, long seed) {}

    public interface Progress { void step(int step, CrossEntropy.Result r, boolean warmingUp); }

    /** One mini-batch and the loss of the model's output on it. */
    public record Batch(float[] x, long[] shape, Trainer.Objective objective) {}

    /** The batch of step k. */
    @FunctionalInterface
    public interface Batches { Batch at(int step); }

    public interface LossProgress { void step(int step, double loss, boolean warmingUp); }

    /** A classifier: labelled images, softmax cross-entropy, mini-batches from a seeded permutation. */
    public static Model run(FakeQuantizer.Result fq, ImageSet train, Settings s, Progress progress) {
        int[] order = Permutation.of(train.size(), s.seed());
        int b = Math.min(s.batch(), train.size());
        CrossEntropy.Result[] last = {null};
        return run(fq, s, k -> {
            int from = (int) (((long) k * b) % (train.size() - b + 1)), to = from + b;
            int[] labels = new int[b];
            for (int i = from; i < to; i++) labels[i - from] = train.labels()[order[i]];
            return new Batch(train.gather(order, from, to), train.batchShape(b), out -> {
                float[] logits = out.floats();
                last[0] = CrossEntropy.of(logits, labels, logits.length / b);
                return new Trainer.Loss(last[0].loss(), last[0].grad());
            });
        }, (k, loss, warm) -> progress.step(k, last[0], warm));
    }

    /** Any model and loss: the batches and their objectives come from {@code batches}. */
    public static Model run(FakeQuantizer.Result fq, Settings s, Batches batches, LossProgress progress) {
        Model q = fq.model();
        Set<String> params = new LinkedHashSet<>();
        for (Node node : q.graph().nodes())
            if (node.opType().equals("Conv") || node.opType().equals("Gemm") || node.opType().equals("MatMul"))
                for (int i = 1; i < node.inputs().size(); i++) params.add(node.input(i));
        params.addAll(fq.weightScales().keySet());
        params.removeIf(p -> { Tensor t = q.graph().initializers().get(p); return t == null || t.dtype() != DataType.FLOAT32; });
        params.addAll(fq.weightScales().values());
        params.addAll(fq.activationScales().values());
        Model trainable = logitsOf(FakeQuantizer.exposeForTraining(q, params));
        AdamW opt = AdamW.defaults(0, Set.copyOf(params));
        for (String sc : fq.weightScales().values()) opt.lrFactor(sc, s.scaleLrFactor());
        for (String sc : fq.activationScales().values()) opt.lrFactor(sc, s.scaleLrFactor());
        Map<String, MovingAverageMinMaxObserver> obs = new HashMap<>();
        fq.activationScales().keySet().forEach(v -> obs.put(v, MovingAverageMinMaxObserver.perTensor(0.01)));
        Map<String, QuantSpec> specs = new HashMap<>();
        for (Node node : q.graph().nodes())
            if (node.opType().equals("QuantizeLinear") && fq.activationScales().containsKey(node.input(0)))
                specs.put(node.input(0), QuantSpec.affine(q.graph().initializers().get(node.input(2)).dtype()));
        Schedule lr = Schedule.warmupCosine(s.lr(), s.lr() / 100, Math.min(20, s.steps() / 4 + 1), s.steps());
        try (Trainer t = new Trainer(trainable, params, Map.of(), opt, SessionOptions.defaults())) {
            int[] step = {0};
            t.onTape(tape -> {
                if (step[0] >= s.warmup()) return;
                fq.activationScales().forEach((value, scale) -> {
                    Tensor v = tape.get(value);
                    MovingAverageMinMaxObserver o = obs.get(value);
                    o.observe(v.floats(), v.shape());
                    var r = o.ranges(specs.get(value));
                    t.params().get(scale)[0] = ParamsFromRange.choose(specs.get(value), r.min(0), r.max(0)).scale();
                });
            });
            // Adam's steps are ~lr whatever the gradient, which can push a tiny scale (a near-dead
            // weight channel) below zero; scales are kept at >= 1% of their calibrated value
            Map<String, float[]> floors = new HashMap<>();
            for (String sc : fq.weightScales().values()) floors.put(sc, scaled(t.params().get(sc), 0.01f));
            for (String sc : fq.activationScales().values()) floors.put(sc, scaled(t.params().get(sc), 0.01f));
            for (int k = 0; k < s.steps(); k++) {
                Batch b = batches.at(k);
                Trainer.Loss r = t.step(b.x(), b.shape(), b.objective(), lr.at(k));
                floors.forEach((sc, lo) -> {
                    float[] v = t.params().get(sc);
                    for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], lo[i]);
                });
                progress.step(k, r.value(), k < s.warmup());
                step[0]++;
            }
            return FakeQuantizer.withValues(q, t.params());
        }
    }

    private static float[] scaled(float[] v, float f) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) r[i] = v[i] * f;
        return r;
    }

    /** {@code m} itself, or (in place) with a final Softmax over the last axis removed so the output is its input. */
    public static Model logitsOf(Model m) {
        var g = m.graph();
        if (g.outputs().size() != 1) return m;
        Node last = g.producer(g.outputNames().get(0));
        if (last == null || !last.opType().equals("Softmax") || g.consumers(last.output(0)).size() != 0) return m;
        var shape = g.outputs().get(0).shape();
        long axis = last.attributes().getInt("axis", m.onnxOpset() >= 13 ? -1 : 1);
        if (shape == null || !(axis == -1 || axis == shape.dims().size() - 1)) return m;
        g.outputs().set(0, g.outputs().get(0).withName(last.input(0)));
        g.removeNode(last);
        return m;
    }
}
