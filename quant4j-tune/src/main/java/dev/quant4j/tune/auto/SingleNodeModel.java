package dev.quant4j.tune.auto;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node of a model as a model of its own, with the node's real shapes: its weights stay
 * initializers, values computed from constants (Constant nodes, shape arithmetic) become
 * initializers holding the value seen in the real run, and the other inputs become graph inputs
 * fed with the real values. The speed gate times it; the deployability check opens it on an engine.
 *
 * @param feeds the real values of the graph inputs
 */
public record SingleNodeModel(Model model, Map<String, Tensor> feeds) {

    /** @param values the node's inputs and outputs from {@link NodeProbe#capture} */
    public static SingleNodeModel of(Model source, String nodeName, Map<String, Tensor> values) {
        Graph src = source.graph();
        Node node = src.node(nodeName);
        if (node == null) throw new IllegalArgumentException("no node named '" + nodeName + "' in the model");
        Graph g = new Graph(nodeName + " alone");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        java.util.Set<String> constants = constants(src);
        for (String v : node.inputs()) {
            if (v.isEmpty() || g.initializers().containsKey(v) || feeds.containsKey(v)) continue;
            Tensor init = src.initializers().get(v);
            if (init != null && !src.inputNames().contains(v)) { g.initializers().put(v, init); continue; }
            Tensor seen = values.get(v);
            if (seen == null) throw new IllegalArgumentException("no captured value for input '" + v + "' of node '" + nodeName + "'");
            if (constants.contains(v)) { g.initializers().put(v, seen); continue; }
            g.inputs().add(ValueInfo.tensor(v, seen.dtype(), seen.shape()));
            feeds.put(v, seen);
        }
        for (String v : node.outputs()) {
            if (v.isEmpty()) continue;
            Tensor seen = values.get(v);
            if (seen == null) throw new IllegalArgumentException("no captured value for output '" + v + "' of node '" + nodeName + "'");
            g.outputs().add(ValueInfo.tensor(v, seen.dtype(), seen.shape()));
        }
        g.addNode(node.copy());
        Model m = new Model(g);
        m.setIrVersion(source.irVersion());
        m.opsets().putAll(source.opsets());
        m.functions().addAll(source.functions());
        return new SingleNodeModel(m, Map.copyOf(feeds));
    }

    /** The values computed from constants only (weights behind Constant, Cast, Reshape, shape arithmetic). */
    private static java.util.Set<String> constants(Graph g) {
        java.util.Set<String> c = new java.util.HashSet<>(g.initializers().keySet());
        g.inputNames().forEach(c::remove);
        for (Node p : g.nodes()) {   // nodes are stored in topological order (an ONNX requirement)
            boolean all = p.subgraphs().isEmpty() && (p.opType().equals("Constant") || !p.inputs().isEmpty());
            for (String in : p.inputs()) if (!in.isEmpty() && !c.contains(in)) { all = false; break; }
            if (all) for (String out : p.outputs()) if (!out.isEmpty()) c.add(out);
        }
        return c;
    }
}
