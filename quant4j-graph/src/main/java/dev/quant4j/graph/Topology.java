package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/** Dependency structure of a graph: outer-scope uses of subgraphs and a stable topological order. */
public final class Topology {
    private Topology() {}

    /**
     * Values that {@code node}'s subgraphs read from enclosing scopes (names used inside but not
     * defined there). An executor must keep them alive until the node has run.
     */
    public static Set<String> implicitInputs(Node node) {
        Set<String> out = new LinkedHashSet<>();
        for (Graph g : node.subgraphs()) out.addAll(outerReferences(g));
        return out;
    }

    /** Names a graph reads that it does not define itself (its outer-scope references). */
    public static Set<String> outerReferences(Graph g) {
        Set<String> defined = g.definedValues();
        Set<String> out = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) if (!in.isEmpty() && !defined.contains(in)) out.add(in);
            for (String in : implicitInputs(n)) if (!defined.contains(in)) out.add(in);
        }
        for (String o : g.outputNames()) if (!defined.contains(o)) out.add(o);
        return out;
    }

    /**
     * The nodes in an order where each follows the producers of everything it reads (including
     * its subgraphs' outer uses). Among ready nodes the one earliest in the current order goes
     * first, so an already sorted graph keeps its order. Throws naming a node when there is a cycle.
     */
    public static List<Node> sort(Graph g) {
        List<Node> nodes = g.nodes();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (String o : nodes.get(i).outputs()) if (!o.isEmpty()) producer.putIfAbsent(o, i);
        int[] pending = new int[nodes.size()];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) dependents.add(new ArrayList<>());
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> deps = new LinkedHashSet<>();
            Node n = nodes.get(i);
            for (String in : n.inputs()) { Integer p = producer.get(in); if (p != null) deps.add(p); }
            for (String in : implicitInputs(n)) { Integer p = producer.get(in); if (p != null) deps.add(p); }
            for (int p : deps) {
                if (p == i) throw new IllegalStateException("node " + n.label() + " reads its own output");
                dependents.get(p).add(i);
                pending[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) if (pending[i] == 0) ready.add(i);
        List<Node> out = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int d : dependents.get(i)) if (--pending[d] == 0) ready.add(d);
        }
        if (out.size() != nodes.size()) {
            for (int i = 0; i < nodes.size(); i++) {
                if (pending[i] > 0) throw new IllegalStateException("graph '" + g.name() + "' has a cycle through node " + nodes.get(i).label());
            }
        }
        return out;
    }
}
