package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When each intermediate value dies, for an executor that runs nodes in a fixed order and wants
 * to free buffers early. Only values produced by nodes of this graph are listed: graph inputs and
 * initializers belong to the caller and the model, and graph outputs are never released.
 * A value that nothing reads dies right after the node that produced it.
 */
public final class Liveness {
    private final List<Node> order;
    private final Map<String, Integer> lastUse;
    private final List<List<String>> deadAfter;

    private Liveness(List<Node> order, Map<String, Integer> lastUse, List<List<String>> deadAfter) {
        this.order = order;
        this.lastUse = lastUse;
        this.deadAfter = deadAfter;
    }

    /** Liveness for the graph's nodes in topological order ({@link Topology#sort}). */
    public static Liveness of(Graph g) {
        List<Node> order = List.copyOf(Topology.sort(g));
        Set<String> keep = new HashSet<>(g.outputNames());
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            for (String o : order.get(i).outputs()) if (!o.isEmpty() && !keep.contains(o)) last.put(o, i);
        }
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            List<String> reads = new ArrayList<>(n.inputs());
            reads.addAll(Topology.implicitInputs(n));
            for (String in : reads) if (last.containsKey(in)) last.put(in, Math.max(last.get(in), i));
        }
        List<List<String>> dead = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) dead.add(new ArrayList<>());
        last.forEach((v, i) -> dead.get(i).add(v));
        dead.replaceAll(l -> { Collections.sort(l); return List.copyOf(l); });
        return new Liveness(order, Map.copyOf(last), List.copyOf(dead));
    }

    /** The execution order this liveness was computed for. */
    public List<Node> order() { return order; }

    /** Values whose last reader is the node at {@code index} of {@link #order()}: free them after it runs. */
    public List<String> deadAfter(int index) { return deadAfter.get(index); }

    /** Index in {@link #order()} of the last node that reads {@code value}; -1 if it is not tracked. */
    public int lastUse(String value) { return lastUse.getOrDefault(value, -1); }

    /** The largest number of tracked intermediate values alive at once (a peak-buffer count). */
    public int peakLiveValues() {
        int live = 0, peak = 0;
        for (int i = 0; i < order.size(); i++) {
            for (String o : order.get(i).outputs()) if (lastUse.containsKey(o)) live++;
            peak = Math.max(peak, live);
            live -= deadAfter.get(i).size();
        }
        return peak;
    }
}
