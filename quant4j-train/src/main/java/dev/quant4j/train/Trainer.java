package dev.quant4j.train;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.SessionOptions;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One classifier training step on a graph with one image input and one logits output: forward by
 * the runtime, softmax cross-entropy, backward, optimizer. Every initializer that is also a graph
 * input is a parameter held here as a float[] and fed by reference each step; those in
 * {@code trainable} get gradients, the others are state that {@code stateUpdates} refreshes from
 * values the forward computed (BatchNormalization's running mean and variance).
 * Times of the three phases are summed for the benchmark.
 */
public final class Trainer implements AutoCloseable {
    private final Backprop backprop;
    private final Map<String, float[]> params = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Set<String> trainable;
    private final Map<String, String> stateUpdates;
    private final Optimizer optimizer;
    private final String input, output;
    private long forwardNanos, backwardNanos, optimizerNanos, steps;
    private final long[] cpu = new long[3];
    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    private java.util.function.Consumer<Backprop.Tape> tapeListener = t -> {};

    public Trainer(Model model, Set<String> trainable, Map<String, String> stateUpdates, Optimizer optimizer, SessionOptions options) {
        this.backprop = new Backprop(model, GradRegistry.standard(), options);
        var g = model.graph();
        for (String name : g.inputNames()) {
            Tensor t = g.initializers().get(name);
            if (t == null) continue;
            params.put(name, t.floats());
            shapes.put(name, t.shape());
        }
        for (String p : trainable)
            if (!params.containsKey(p)) throw new IllegalArgumentException("trainable '" + p + "' is not an initializer that is a graph input");
        List<String> feeds = g.feedInputs().stream().map(v -> v.name()).filter(n -> !params.containsKey(n)).toList();
        if (feeds.size() != 1 || g.outputs().size() != 1) throw new IllegalArgumentException("expected one data input and one output, got " + feeds + " and " + g.outputNames());
        this.input = feeds.get(0);
        this.output = g.outputNames().get(0);
        this.trainable = trainable;
        this.stateUpdates = stateUpdates;
        this.optimizer = optimizer;
    }

    /** A view of a parameter array as a tensor (no copy: the optimizer's updates are seen next step). */
    static Tensor view(float[] v, long[] shape) {
        return Tensor.wrap(DataType.FLOAT32, MemorySegment.ofArray(v), shape);
    }

    /** A loss of the model's output: its value and its gradient with respect to the output. */
    @FunctionalInterface
    public interface Objective { Loss of(Tensor output); }

    public record Loss(double value, float[] grad) {}

    /** A classifier step: softmax cross-entropy of the output (logits [n × classes]) against the labels. */
    public CrossEntropy.Result step(float[] x, long[] shape, int[] labels, double lr) {
        CrossEntropy.Result[] r = {null};
        step(x, shape, out -> {
            float[] logits = out.floats();
            r[0] = CrossEntropy.of(logits, labels, logits.length / labels.length);
            return new Loss(r[0].loss(), r[0].grad());
        }, lr);
        return r[0];
    }

    /** One step with any loss of the output (CTC for a recognizer, for instance). */
    public Loss step(float[] x, long[] shape, Objective objective, double lr) {
        long t0 = System.nanoTime(), c0 = MX.getCurrentThreadCpuTime();
        Map<String, Tensor> feeds = new HashMap<>();
        params.forEach((k, v) -> feeds.put(k, view(v, shapes.get(k))));
        feeds.put(input, view(x, shape));
        Backprop.Tape tape = backprop.forward(feeds);
        Loss loss = objective.of(tape.outputs().get(output));
        long t1 = System.nanoTime(), c1 = MX.getCurrentThreadCpuTime();
        Map<String, float[]> grads = backprop.backward(tape, Map.of(output, loss.grad()), trainable);
        long t2 = System.nanoTime(), c2 = MX.getCurrentThreadCpuTime();
        tapeListener.accept(tape);
        optimizer.step(params, grads, lr);
        stateUpdates.forEach((value, param) -> System.arraycopy(tape.get(value).floats(), 0, params.get(param), 0, params.get(param).length));
        long t3 = System.nanoTime(), c3 = MX.getCurrentThreadCpuTime();
        cpu[0] += c1 - c0;
        cpu[1] += c2 - c1;
        cpu[2] += c3 - c2;
        forwardNanos += t1 - t0;
        backwardNanos += t2 - t1;
        optimizerNanos += t3 - t2;
        steps++;
        return loss;
    }

    /** Sees every step's tape before the optimizer runs (observers of a QAT warm-up). */
    public void onTape(java.util.function.Consumer<Backprop.Tape> listener) { this.tapeListener = listener; }

    /** Current values by name (live arrays). */
    public Map<String, float[]> params() { return params; }

    public long[] shape(String name) { return shapes.get(name).clone(); }

    /**
     * Wall time of the three phases, and the calling thread's CPU time in each (the one to read on
     * a shared machine; it misses work the kernels hand to other threads, so time with one thread).
     */
    public record Timing(long steps, long forwardNanos, long backwardNanos, long optimizerNanos,
                         long forwardCpuNanos, long backwardCpuNanos, long optimizerCpuNanos) {}

    public Timing timing() { return new Timing(steps, forwardNanos, backwardNanos, optimizerNanos, cpu[0], cpu[1], cpu[2]); }

    public void resetTiming() {
        forwardNanos = backwardNanos = optimizerNanos = steps = 0;
        java.util.Arrays.fill(cpu, 0);
    }

    @Override
    public void close() { backprop.close(); }
}
