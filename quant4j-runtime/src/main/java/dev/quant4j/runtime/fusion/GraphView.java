package dev.quant4j.runtime.fusion;

import dev.quant4j.graph.Attribute;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who produces and who reads each value of a graph, and which values are constants (initializers
 * that no feed can replace, and Constant nodes with a tensor value): what the pattern matchers ask.
 * Built once per pass; the matchers edit the graph only through {@link QdqFusion}, which rebuilds it.
 */
final class GraphView {
    final Graph graph;
    /** The model's ONNX opset (Clip's bounds moved from attributes to inputs at 11). */
    final long opset;
    private final Map<String, Node> producer = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Set<String> outputs;
    private final Set<String> feedable;

    GraphView(Graph graph, long opset) {
        this.graph = graph;
        this.opset = opset;
        this.outputs = new HashSet<>(graph.outputNames());
        this.feedable = new HashSet<>(graph.inputNames());
        for (Node n : graph.nodes()) {
            for (String o : n.outputs()) if (!o.isEmpty()) producer.put(o, n);
            Set<String> read = new HashSet<>(n.inputs());
            read.addAll(Topology.implicitInputs(n));
            for (String in : read) if (!in.isEmpty()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
    }

    /** The node that computes {@code value}, or null. */
    Node producer(String value) { return producer.get(value); }

    /** The producer of {@code value} when it is an ONNX-domain {@code opType} node, else null. */
    Node producer(String value, String opType) {
        Node n = producer.get(value);
        return n != null && n.isOnnxDomain() && n.opType().equals(opType) ? n : null;
    }

    List<Node> consumers(String value) { return consumers.getOrDefault(value, List.of()); }

    /** True when {@code value} is read by {@code node} alone (and is not a graph output). */
    boolean onlyReadBy(String value, Node node) {
        List<Node> c = consumers(value);
        return !outputs.contains(value) && c.size() == 1 && c.get(0) == node;
    }

    /** The single reader of {@code value} when it has exactly one and is not a graph output, else null. */
    Node soleConsumer(String value) {
        List<Node> c = consumers(value);
        return !outputs.contains(value) && c.size() == 1 ? c.get(0) : null;
    }

    boolean isGraphOutput(String value) { return outputs.contains(value); }

    /** The value of a constant, or null (also for graph inputs with a default initializer). */
    Tensor constant(String value) {
        if (value.isEmpty() || feedable.contains(value)) return null;
        Tensor t = graph.initializers().get(value);
        if (t != null) return t;
        Node n = producer(value, "Constant");
        if (n != null && n.attributes().get("value") instanceof Attribute.TensorValue v) return v.value();
        return null;
    }

    boolean isConstant(String value) { return constant(value) != null; }
}
