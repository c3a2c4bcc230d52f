package dev.quant4j.train.quant;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import java.util.List;

/**
 * Turns Constant nodes holding a tensor ({@code value}) into initializers of the same name.
 * Some exporters (Paddle2ONNX) store every weight as a Constant node; BN folding, fake
 * quantization and training all look for weights among the initializers.
 */
public final class ConstantsToInitializers {
    private ConstantsToInitializers() {}

    /** In place; returns how many Constant nodes were replaced. */
    public static int apply(Model model) {
        Graph g = model.graph();
        int n = 0;
        for (Node c : List.copyOf(g.nodes())) {
            if (!c.isOnnxDomain() || !c.opType().equals("Constant") || !c.attributes().has("value") || c.outputs().size() != 1) continue;
            String name = c.output(0);
            if (g.initializers().containsKey(name)) throw new IllegalArgumentException(c.label() + ": its output '" + name + "' is also an initializer");
            g.initializers().put(name, c.attributes().getTensor("value"));
            g.removeNode(c);
            n++;
        }
        return n;
    }
}
