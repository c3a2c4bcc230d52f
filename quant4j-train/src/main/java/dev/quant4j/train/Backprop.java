package dev.quant4j.train;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Liveness;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of a quant4j graph. The forward is the runtime's own execution of
 * the graph (a {@link Session}); an observer keeps every intermediate value, which is the tape the
 * backward reads. The backward walks the nodes in reverse topological order and asks each node's
 * {@link GradRule} for its input gradients, summing gradients of values used more than once.
 *
 * <p>Trainable tensors must be graph inputs (with their initializer as the default): the runtime
 * treats a non-input initializer as a constant and may copy or pack it once at preparation, so an
 * update would not be seen.
 */
public final class Backprop implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final List<Node> order;
    private final GradRegistry rules;
    private final Kernels kernels;
    private final long opset;

    public Backprop(Model model, GradRegistry rules, SessionOptions options) {
        this.graph = model.graph();
        this.session = Session.create(model, options);
        this.order = Liveness.of(graph).order();
        this.rules = rules;
        this.kernels = options.kernels();
        this.opset = model.onnxOpset();
        for (Node n : order) rules.find(n); // fail at construction, naming the node, not mid-training
    }

    public Backprop(Model model) { this(model, GradRegistry.standard(), SessionOptions.defaults()); }

    /** The values of one forward run: every input, initializer and intermediate by name. */
    public record Tape(Map<String, Tensor> values, Map<String, Tensor> outputs) {
        public Tensor get(String name) {
            Tensor t = values.get(name);
            if (t == null) throw new IllegalArgumentException("no value '" + name + "' on the tape");
            return t;
        }
    }

    public Tape forward(Map<String, Tensor> feeds) {
        Map<String, Tensor> values = new HashMap<>(graph.initializers());
        values.putAll(feeds);
        Map<String, Tensor> outs = session.run(feeds, (name, node, v) -> values.put(name, v));
        return new Tape(values, outs);
    }

    /**
     * Gradients of a scalar loss with respect to the values in {@code wrt}, given the loss's
     * gradients with respect to some values of the graph ({@code seeds}, usually its outputs).
     * A value of {@code wrt} that the seeds do not depend on gets a zero gradient.
     */
    public Map<String, float[]> backward(Tape tape, Map<String, float[]> seeds, Set<String> wrt) {
        Set<String> live = new HashSet<>(wrt);
        for (Node n : order) {
            for (String in : n.inputs()) {
                if (live.contains(in)) { live.addAll(n.outputs()); break; }
            }
        }
        Map<String, float[]> grads = new HashMap<>(seeds);
        Set<float[]> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            boolean any = false;
            float[][] dOut = new float[n.outputs().size()][];
            for (int k = 0; k < dOut.length; k++) {
                dOut[k] = grads.get(n.output(k));
                any |= dOut[k] != null;
            }
            if (!any) continue;
            boolean[] needed = new boolean[n.inputs().size()];
            boolean need = false;
            Tensor[] ins = new Tensor[needed.length];
            for (int k = 0; k < needed.length; k++) {
                String name = n.input(k);
                if (name.isEmpty()) continue;
                ins[k] = tape.get(name);
                needed[k] = live.contains(name);
                need |= needed[k];
            }
            if (!need) continue;
            Tensor[] outs = new Tensor[dOut.length];
            for (int k = 0; k < outs.length; k++) outs[k] = n.output(k).isEmpty() ? null : tape.values().get(n.output(k));
            float[][] dIn;
            try {
                dIn = rules.find(n).backward(new GradContext(n, ins, outs, dOut, needed, kernels, opset));
            } catch (RuntimeException e) {
                throw new IllegalStateException(n.label() + " backward: " + e.getMessage(), e);
            }
            for (int k = 0; k < needed.length && k < dIn.length; k++) {
                if (!needed[k] || dIn[k] == null) continue;
                String name = n.input(k);
                float[] prev = grads.get(name);
                if (prev == null) { grads.put(name, dIn[k]); continue; }
                if (!owned.contains(prev)) { prev = prev.clone(); owned.add(prev); grads.put(name, prev); }
                float[] add = dIn[k];
                for (int j = 0; j < prev.length; j++) prev[j] += add[j];
            }
        }
        Map<String, float[]> result = new HashMap<>();
        for (String w : wrt) {
            float[] g = grads.get(w);
            if (g == null) g = new float[Math.toIntExact(tape.get(w).elementCount())];
            result.put(w, g);
        }
        return result;
    }

    public Graph graph() { return graph; }

    @Override
    public void close() { session.close(); }
}
