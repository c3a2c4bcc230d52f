package dev.quant4j.graph.infer;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces nodes whose outputs inference computed (shape subgraphs once input shapes are known:
 * Shape → Gather → Unsqueeze → Concat feeding a Reshape, Constant nodes, ...) by initializers,
 * then removes what no longer reaches an output. Nodes that produce graph outputs or hold
 * subgraphs are kept.
 */
public final class ConstantFolding {
    private ConstantFolding() {}

    /** Result: nodes replaced by initializers, and nodes removed as dead afterwards. */
    public record Report(int folded, int removed) {}

    public static Report fold(Graph g, InferenceResult r) {
        List<Node> foldable = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!n.subgraphs().isEmpty() || n.outputs().isEmpty()) continue;
            boolean all = true;
            for (String o : n.outputs()) {
                if (o.isEmpty() || g.isGraphOutput(o) || r.constant(o) == null) { all = false; break; }
            }
            if (all) foldable.add(n);
        }
        for (Node n : foldable) {
            for (String o : n.outputs()) {
                Tensor t = r.constant(o);
                g.initializers().put(o, t);
                g.valueInfos().remove(o);
            }
            g.removeNode(n);
        }
        int removed = g.eliminateDeadNodes();
        return new Report(foldable.size(), removed);
    }
}
