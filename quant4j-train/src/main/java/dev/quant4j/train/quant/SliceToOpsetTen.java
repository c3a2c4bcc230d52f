package dev.quant4j.train.quant;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Raises an opset-9 model to opset 10 by moving Slice's {@code starts}/{@code ends}/{@code axes}
 * attributes into inputs (the change Slice had at 10). quant4j-quantize's OpsetUpgrade refuses
 * Slice before 10; after this step it can take the model further. The other operators whose form
 * changed at 10 (TopK's k, Upsample) are refused by name.
 */
public final class SliceToOpsetTen {
    private SliceToOpsetTen() {}

    private static final Set<String> REFUSED = Set.of("TopK", "Upsample");

    /** In place; a no-op unless the default opset is below 10. */
    public static void apply(Model model) {
        if (model.onnxOpset() >= 10) return;
        Graph g = model.graph();
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.isOnnxDomain()) continue;
            if (REFUSED.contains(n.opType())) throw new IllegalArgumentException("cannot raise opset " + model.onnxOpset() + " -> 10: " + n.label() + " is not rewritten");
            if (!n.opType().equals("Slice")) continue;
            long[] starts = n.attributes().getInts("starts"), ends = n.attributes().getInts("ends"), axes = n.attributes().getInts("axes");
            if (starts == null || ends == null || starts.length != ends.length || axes != null && axes.length != starts.length)
                throw new IllegalArgumentException(n.label() + ": opset-9 Slice needs starts and ends of one length (and axes of that length if given)");
            String base = n.name().isEmpty() ? n.output(0) : n.name();
            n.attributes().remove("starts");
            n.attributes().remove("ends");
            n.attributes().remove("axes");
            n.setInput(1, constant(g, base + "_starts", starts));
            n.setInput(2, constant(g, base + "_ends", ends));
            if (axes != null) n.setInput(3, constant(g, base + "_axes", axes));
        }
        model.opsets().remove("ai.onnx");
        model.opsets().put("", 10L);
    }

    private static String constant(Graph g, String base, long[] v) {
        String name = g.uniqueName(base);
        g.initializers().put(name, Tensor.vectorOfLongs(v));
        return name;
    }
}
