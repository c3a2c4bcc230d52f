package dev.quant4j.runtime;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Liveness;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph prepared for execution: nodes in topological order, each with its {@link Op}, and the
 * values that die after each node so that their buffers can be collected while the run goes on.
 * Serves the main graph of a {@link Session} and the subgraphs of If and Loop alike.
 */
public final class GraphRunner {
    private final Graph graph;
    private final List<Node> order;
    private final Op[] ops;
    private final Liveness liveness;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final SessionOptions options;

    GraphRunner(Graph graph, Map<String, Long> opsets, SessionOptions options, Scope outerConstants) {
        this.graph = graph;
        this.options = options;
        this.liveness = Liveness.of(graph);
        this.order = liveness.order();
        // An initializer that is also a graph input is only a default: a feed may replace it.
        Set<String> feedable = new HashSet<>(graph.inputNames());
        graph.initializers().forEach((name, t) -> { if (!feedable.contains(name)) constants.put(name, t); });
        Scope constantScope = name -> {
            Tensor t = constants.get(name);
            return t != null || feedable.contains(name) ? t : outerConstants.get(name);
        };
        this.ops = new Op[order.size()];
        for (int i = 0; i < order.size(); i++) {
            Node node = order.get(i);
            OpFactory factory = options.registry().find(node);
            try {
                ops[i] = factory.create(new NodeSetup(node, opsets, constantScope, options));
            } catch (OpException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OpException(node, "cannot prepare: " + e.getMessage(), e);
            }
            if (ops[i] instanceof ConstantValue c) {
                Tensor v = c.value();
                constants.put(node.output(0), v);
            } else if (isFoldable(node, constantScope)) {
                Tensor v = fold(node, ops[i], constantScope, options);
                constants.put(node.output(0), v);
                ops[i] = (in, ctx) -> new Tensor[] {v};
            }
        }
    }

    public Graph graph() { return graph; }

    /**
     * A DequantizeLinear or Cast of constants (a quantized or fp16-stored weight that no fused node
     * consumed) is computed once when the session is prepared, so that the node reading it sees a
     * constant weight and packs it once instead of converting and repacking on every run. Costs the
     * float copy's memory.
     */
    private static boolean isFoldable(Node node, Scope constants) {
        if (!node.isOnnxDomain() || node.outputs().size() != 1) return false;
        if (!node.opType().equals("DequantizeLinear") && !node.opType().equals("Cast")) return false;
        for (String in : node.inputs()) if (!in.isEmpty() && constants.get(in) == null) return false;
        return true;
    }

    private static Tensor fold(Node node, Op op, Scope constants, SessionOptions options) {
        Tensor[] ins = new Tensor[node.inputs().size()];
        for (int k = 0; k < ins.length; k++) ins[k] = node.input(k).isEmpty() ? null : constants.get(node.input(k));
        try {
            return op.run(ins, new ExecContext(options.kernels(), constants, ValueObserver.NONE))[0];
        } catch (OpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OpException(node, "cannot prepare: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the graph. {@code feeds} give the graph inputs by name; {@code outer} resolves values of
     * enclosing graphs (for subgraphs). Returns the graph outputs in their declared order.
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, Scope outer, ValueObserver observer) {
        Map<String, Tensor> env = new HashMap<>(graph.initializers());
        env.putAll(feeds);
        Scope scope = name -> {
            Tensor t = env.get(name);
            return t != null ? t : outer.get(name);
        };
        ExecContext ctx = new ExecContext(options.kernels(), scope, observer);
        for (int i = 0; i < order.size(); i++) {
            Node node = order.get(i);
            Tensor[] ins = new Tensor[node.inputs().size()];
            for (int k = 0; k < ins.length; k++) {
                String name = node.input(k);
                if (name.isEmpty()) continue;
                ins[k] = scope.get(name);
                if (ins[k] == null) throw new OpException(node, "input '" + name + "' has no value (not fed, not computed)");
            }
            Tensor[] outs;
            try {
                outs = ops[i].run(ins, ctx);
            } catch (OpException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OpException(node, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
            int declared = node.outputs().size();
            if (outs.length < declared) {
                // Optional trailing outputs may be omitted by ops that do not compute them.
                for (int k = outs.length; k < declared; k++) {
                    if (!node.output(k).isEmpty() && consumed(node.output(k)))
                        throw new OpException(node, "output " + k + " ('" + node.output(k) + "') is used but was not computed");
                }
            }
            for (int k = 0; k < Math.min(declared, outs.length); k++) {
                String name = node.output(k);
                if (name.isEmpty() || outs[k] == null) continue;
                env.put(name, outs[k]);
                if (observer.wants(name)) observer.onValue(name, node, outs[k]);
            }
            for (String dead : liveness.deadAfter(i)) env.remove(dead);
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String out : graph.outputNames()) {
            Tensor t = scope.get(out);
            if (t == null) throw new OpException(null, "graph output '" + out + "' was not computed");
            result.put(out, t);
        }
        return result;
    }

    private boolean consumed(String value) {
        return liveness.lastUse(value) >= 0 || graph.isGraphOutput(value);
    }

    /** An op whose output is known when the session is prepared (Constant): exposed as a constant to later nodes. */
    public interface ConstantValue extends Op {
        Tensor value();
    }
}
