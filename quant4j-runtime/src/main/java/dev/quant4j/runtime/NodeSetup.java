package dev.quant4j.runtime;

import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import java.util.Map;

/**
 * What an {@link OpFactory} may know when it prepares a node: the node, the opset version of its
 * domain, which inputs are constants (initializers or Constant nodes, of this graph or an
 * enclosing one), the kernels, and a way to compile subgraphs.
 */
public final class NodeSetup {
    private final Node node;
    private final Map<String, Long> opsets;
    private final Scope constants;
    private final SessionOptions options;

    NodeSetup(Node node, Map<String, Long> opsets, Scope constants, SessionOptions options) {
        this.node = node;
        this.opsets = opsets;
        this.constants = constants;
        this.options = options;
    }

    public Node node() { return node; }

    public Attributes attributes() { return node.attributes(); }

    public Kernels kernels() { return options.kernels(); }

    /** The opset version imported for the node's domain (the default domain for ONNX ops). */
    public long opset() {
        String d = node.isOnnxDomain() ? "" : node.domain();
        Long v = opsets.get(d);
        if (v == null && d.isEmpty()) v = opsets.get("ai.onnx");
        if (v == null) throw new OpException(node, "the model imports no opset for domain '" + d + "'");
        return v;
    }

    /** The value of input {@code i} when it is a constant known before the run; else null. */
    public Tensor constant(int i) {
        String name = node.input(i);
        return name.isEmpty() ? null : constants.get(name);
    }

    public boolean isConstant(int i) { return constant(i) != null; }

    /** Compiles a subgraph (If branch, Loop body) that sees this graph's values by name. */
    public GraphRunner compile(Graph subgraph) {
        return new GraphRunner(subgraph, opsets, options, constants);
    }

    /** An error naming this node. */
    public OpException error(String problem) { return new OpException(node, problem); }
}
