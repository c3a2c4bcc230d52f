package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A computation graph: nodes over named values, graph inputs and outputs, initializers (constant
 * tensors by value name) and value infos (known types of intermediate values). Subgraphs of
 * If/Loop/Scan are Graphs held in node attributes and may use values of enclosing graphs by name.
 *
 * <p>The collections returned by {@link #nodes()}, {@link #inputs()}, {@link #outputs()},
 * {@link #initializers()} and {@link #valueInfos()} are the graph's own, live and mutable: passes
 * edit them directly or through the helpers here. Node order is execution order once
 * {@link #topologicalSort()} has run; readers keep the file's order.
 */
public final class Graph {
    private String name;
    private String docString;
    private final List<Node> nodes = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final Map<String, SparseTensor> sparseInitializers = new LinkedHashMap<>();
    private final Map<String, ValueInfo> valueInfos = new LinkedHashMap<>();

    public Graph(String name) { this.name = name == null ? "" : name; }

    public String name() { return name; }

    public void setName(String name) { this.name = name == null ? "" : name; }

    public String docString() { return docString; }

    public void setDocString(String doc) { this.docString = doc; }

    public List<Node> nodes() { return nodes; }

    public List<ValueInfo> inputs() { return inputs; }

    public List<ValueInfo> outputs() { return outputs; }

    public Map<String, Tensor> initializers() { return initializers; }

    public Map<String, SparseTensor> sparseInitializers() { return sparseInitializers; }

    /** Known types of values other than graph inputs and outputs, by value name. */
    public Map<String, ValueInfo> valueInfos() { return valueInfos; }

    // ---- lookups ----------------------------------------------------------------------------

    public List<String> inputNames() { return inputs.stream().map(ValueInfo::name).toList(); }

    public List<String> outputNames() { return outputs.stream().map(ValueInfo::name).toList(); }

    /** Graph inputs that are not also initializers: what a caller must feed. */
    public List<ValueInfo> feedInputs() {
        return inputs.stream().filter(v -> !initializers.containsKey(v.name())).toList();
    }

    public Node node(String nodeName) {
        for (Node n : nodes) if (n.name().equals(nodeName)) return n;
        return null;
    }

    /** The node that produces {@code value}, or null (graph input, initializer or outer value). */
    public Node producer(String value) {
        if (value.isEmpty()) return null;
        for (Node n : nodes) if (n.outputs().contains(value)) return n;
        return null;
    }

    /** Nodes that read {@code value}: directly, or implicitly through one of their subgraphs. */
    public List<Node> consumers(String value) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(value) || Topology.implicitInputs(n).contains(value)) out.add(n);
        }
        return out;
    }

    public boolean isGraphOutput(String value) {
        for (ValueInfo v : outputs) if (v.name().equals(value)) return true;
        return false;
    }

    /** The best known type information for {@code value} (input, output or value info), or null. */
    public ValueInfo valueInfo(String value) {
        for (ValueInfo v : inputs) if (v.name().equals(value)) return v;
        for (ValueInfo v : outputs) if (v.name().equals(value)) return v;
        return valueInfos.get(value);
    }

    /** Every value name this graph defines: inputs, initializers and node outputs. */
    public Set<String> definedValues() {
        Set<String> s = new HashSet<>(inputNames());
        s.addAll(initializers.keySet());
        s.addAll(sparseInitializers.keySet());
        for (Node n : nodes) for (String o : n.outputs()) if (!o.isEmpty()) s.add(o);
        return s;
    }

    /** A value or node name based on {@code base} that no value or node of this graph uses yet. */
    public String uniqueName(String base) {
        Set<String> used = definedValues();
        for (Node n : nodes) { used.add(n.name()); used.addAll(n.inputs()); }
        used.addAll(outputNames());
        if (!used.contains(base)) return base;
        for (int i = 1; ; i++) if (!used.contains(base + "_" + i)) return base + "_" + i;
    }

    // ---- editing ----------------------------------------------------------------------------

    public Node addNode(Node n) { nodes.add(n); return n; }

    public void insertBefore(Node anchor, Node n) { nodes.add(indexOf(anchor), n); }

    public void insertAfter(Node anchor, Node n) { nodes.add(indexOf(anchor) + 1, n); }

    public void removeNode(Node n) {
        if (!nodes.remove(n)) throw new IllegalArgumentException("node " + n.label() + " is not in graph '" + name + "'");
    }

    private int indexOf(Node n) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i) == n) return i;
        throw new IllegalArgumentException("node " + n.label() + " is not in graph '" + name + "'");
    }

    /**
     * Makes every reader of {@code from} read {@code to} instead: node inputs, graph outputs and
     * subgraphs that see {@code from} from this scope. The producer of {@code from} is untouched
     * (use this to splice in a node: {@code x -> Q -> DQ -> x'}, then replace uses of x by x').
     * Returns the number of uses replaced.
     */
    public int replaceAllUses(String from, String to) {
        return replaceUses(from, to, null);
    }

    /** Like {@link #replaceAllUses} but leaves the inputs of {@code except} alone. */
    public int replaceAllUsesExcept(String from, String to, Node except) {
        return replaceUses(from, to, except);
    }

    private int replaceUses(String from, String to, Node except) {
        int n = 0;
        for (Node node : nodes) {
            if (node == except) continue;
            n += node.replaceInput(from, to);
            for (Graph g : node.subgraphs()) if (!g.definedValues().contains(from)) n += g.replaceUses(from, to, null);
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).name().equals(from)) { outputs.set(i, outputs.get(i).withName(to)); n++; }
        }
        return n;
    }

    /** Renames a value everywhere in this scope: its definition, its uses and its type info. */
    public void renameValue(String from, String to) {
        if (definedValues().contains(to)) throw new IllegalArgumentException("value '" + to + "' already exists");
        for (Node node : nodes) for (int i = 0; i < node.outputs().size(); i++) if (node.output(i).equals(from)) node.setOutput(i, to);
        for (int i = 0; i < inputs.size(); i++) if (inputs.get(i).name().equals(from)) inputs.set(i, inputs.get(i).withName(to));
        if (initializers.containsKey(from)) initializers.put(to, initializers.remove(from));
        ValueInfo vi = valueInfos.remove(from);
        if (vi != null) valueInfos.put(to, vi.withName(to));
        replaceAllUses(from, to);
    }

    /** Orders the nodes so that every node follows the producers of its inputs; see {@link Topology#sort}. */
    public void topologicalSort() {
        List<Node> sorted = Topology.sort(this);
        nodes.clear();
        nodes.addAll(sorted);
    }

    /**
     * Removes nodes none of whose outputs reach a graph output (directly or through other nodes
     * and subgraphs), then initializers nothing reads. Returns the number of nodes removed.
     */
    public int eliminateDeadNodes() {
        Set<String> live = new HashSet<>(outputNames());
        List<Node> kept = new ArrayList<>();
        List<Node> order = Topology.sort(this);
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            boolean used = n.outputs().stream().anyMatch(live::contains);
            if (used) {
                kept.add(n);
                live.addAll(n.inputs());
                live.addAll(Topology.implicitInputs(n));
            }
        }
        int removed = nodes.size() - kept.size();
        Set<Node> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(kept);
        nodes.removeIf(n -> !keep.contains(n));
        initializers.keySet().removeIf(k -> !live.contains(k) && !inputNames().contains(k));
        valueInfos.keySet().removeIf(k -> !live.contains(k));
        return removed;
    }

    /**
     * A structural copy: new nodes, attribute maps, subgraphs and collections, sharing the
     * (immutable by convention) tensors. Passes that try a change, such as sensitivity analysis
     * quantizing one layer at a time, edit the copy and leave this graph as it was.
     */
    public Graph copy() {
        Graph g = new Graph(name);
        g.docString = docString;
        for (Node n : nodes) g.nodes.add(n.copy());
        g.inputs.addAll(inputs);
        g.outputs.addAll(outputs);
        g.initializers.putAll(initializers);
        g.sparseInitializers.putAll(sparseInitializers);
        g.valueInfos.putAll(valueInfos);
        return g;
    }

    @Override
    public String toString() {
        return "Graph['" + name + "', " + nodes.size() + " nodes, " + inputs.size() + " inputs, " + outputs.size()
                + " outputs, " + initializers.size() + " initializers]";
    }
}
