package dev.quant4j.tune.auto;

import dev.quant4j.quantize.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * The precisions automatic precision may give one node, most aggressive first and always ending
 * with fp32 (so every layer can be reverted to float).
 *
 * @param node   the node's name in the float model
 * @param opType its operator, for reports
 */
public record LayerLadder(String node, String opType, List<Precision> levels) {
    public LayerLadder {
        if (node == null || node.isEmpty()) throw new IllegalArgumentException("a layer needs a node name");
        List<Precision> l = new ArrayList<>(new java.util.LinkedHashSet<>(levels));
        l.remove(Precision.FP32);
        l.add(Precision.FP32);
        levels = List.copyOf(l);
    }

    /**
     * The layer's ladder from a model-wide one: the precisions of {@code order} (most aggressive first)
     * that {@code allowed} contains.
     */
    public static LayerLadder of(String node, String opType, List<Precision> order, java.util.Set<Precision> allowed) {
        return new LayerLadder(node, opType, order.stream().filter(p -> p == Precision.FP32 || allowed.contains(p)).toList());
    }

    public int fp32Level() { return levels.size() - 1; }

    public Precision at(int level) { return levels.get(level); }
}
