package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Structural checks that every reader and pass can rely on: each value is defined once, every
 * name a node reads is defined in its graph or an enclosing one, and graph outputs exist.
 * Types are not checked here (shape inference does that).
 */
public final class GraphValidator {
    private GraphValidator() {}

    /** The problems found, each naming the graph and node; empty when the graph is well formed. */
    public static List<String> problems(Graph g) {
        List<String> out = new ArrayList<>();
        check(g, Set.of(), out);
        return out;
    }

    private static void check(Graph g, Set<String> outer, List<String> out) {
        String where = "graph '" + g.name() + "'";
        Set<String> defined = new HashSet<>();
        for (ValueInfo v : g.inputs()) {
            if (v.name().isEmpty()) out.add(where + ": a graph input has no name");
            else if (!defined.add(v.name())) out.add(where + ": input '" + v.name() + "' is declared twice");
        }
        for (String name : g.initializers().keySet()) defined.add(name);
        for (String name : g.sparseInitializers().keySet()) defined.add(name);
        for (Node n : g.nodes()) {
            for (String o : n.outputs()) {
                if (o.isEmpty()) continue;
                if (!defined.add(o)) out.add(where + ": node " + n.label() + " defines '" + o + "', which is already defined");
            }
        }
        Set<String> visible = new HashSet<>(outer);
        visible.addAll(defined);
        for (Node n : g.nodes()) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !visible.contains(in)) out.add(where + ": node " + n.label() + " reads '" + in + "', which nothing defines");
            }
            for (Graph sub : n.subgraphs()) check(sub, visible, out);
        }
        for (ValueInfo v : g.outputs()) {
            if (!visible.contains(v.name())) out.add(where + ": output '" + v.name() + "' is not defined");
        }
    }
}
