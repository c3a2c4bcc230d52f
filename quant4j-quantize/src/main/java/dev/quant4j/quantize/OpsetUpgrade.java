package dev.quant4j.quantize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Raises a model's default-domain opset so that newer quantization operators (blocked
 * DequantizeLinear needs 21) can be written, rewriting the operators whose signature changed on
 * the way: attributes that became inputs (Slice at 10, Unsqueeze/Squeeze/Split at 13, ReduceSum at 13, the
 * other reductions at 18, Clip at 11). Softmax-like operators before 13 flattened from their axis;
 * that equals the new meaning only for the last axis, so any other axis is refused. Operators
 * whose older form is not handled here are refused by name rather than silently changing meaning.
 */
public final class OpsetUpgrade {
    private OpsetUpgrade() {}

    private static final Set<String> REDUCE_18 = Set.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
            "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");
    /** Operators whose form changed (at the opset given) in ways not rewritten here. */
    private static final java.util.Map<String, Integer> REFUSED = java.util.Map.of("TopK", 10, "Pad", 11, "Resize", 13,
            "Upsample", Integer.MAX_VALUE, "Scan", 16, "Loop", 16, "If", 16);

    /** Raises {@code model}'s ONNX opset to {@code target} in place (no-op when it is already there). */
    public static void to(Model model, long target) {
        long from = model.onnxOpset();
        if (from < 0) throw new IllegalArgumentException("model imports no default ONNX opset");
        if (from >= target) return;
        Graph g = model.graph();
        // ranks for the Softmax check, inferred before any node is rewritten (the inference reads the old forms)
        dev.quant4j.graph.infer.InferenceResult shapes = crosses(from, target, 13) && g.nodes().stream().anyMatch(n -> n.isOnnxDomain()
                && (n.opType().equals("Softmax") || n.opType().equals("LogSoftmax") || n.opType().equals("Hardmax")))
                ? dev.quant4j.graph.infer.ShapeInference.run(g, from) : null;
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.isOnnxDomain()) continue;
            String op = n.opType();
            if ((op.equals("Unsqueeze") || op.equals("Squeeze") || op.equals("ReduceSum")) && crosses(from, target, 13)) attributeToInput(g, n, "axes", 1);
            else if (op.equals("Split") && crosses(from, target, 13)) attributeToInput(g, n, "split", 1);
            else if (op.equals("Slice") && crosses(from, target, 10)) { // same clamping rules; starts/ends/axes became inputs
                attributeToInput(g, n, "starts", 1);
                attributeToInput(g, n, "ends", 2);
                attributeToInput(g, n, "axes", 3);
            }
            else if (REDUCE_18.contains(op) && crosses(from, target, 18)) attributeToInput(g, n, "axes", 1);
            else if ((op.equals("Softmax") || op.equals("LogSoftmax") || op.equals("Hardmax")) && crosses(from, target, 13)) requireLastAxis(n, shapes);
            else if (op.equals("Clip") && crosses(from, target, 11)) clipToInputs(g, n);
            else if (REFUSED.containsKey(op) && crosses(from, target, REFUSED.get(op)))
                throw new IllegalArgumentException("cannot raise opset " + from + " -> " + target + ": operator " + n.label() + " is not rewritten");
        }
        model.opsets().remove("ai.onnx");
        model.opsets().put("", target);
        if (target >= 21 && model.irVersion() < 10) model.setIrVersion(10); // INT4/UINT4 need IR 10
    }

    /** Whether raising {@code from} to {@code to} passes the version where an operator changed. */
    private static boolean crosses(long from, long to, int changedAt) { return from < changedAt && to >= changedAt; }

    private static void attributeToInput(Graph g, Node n, String attr, int index) {
        long[] v = n.attributes().getInts(attr);
        if (v == null) return;
        n.attributes().remove(attr);
        n.setInput(index, ConstantWeights.addInitializer(g, (n.name().isEmpty() ? n.output(0) : n.name()) + "_" + attr, Tensor.vectorOfLongs(v)));
    }

    private static void requireLastAxis(Node n, dev.quant4j.graph.infer.InferenceResult shapes) {
        long axis = n.attributes().getInt("axis", 1);
        if (axis == -1) return;
        var shape = shapes.shape(n.input(0));
        if (shape != null && axis == shape.dims().size() - 1) return;
        throw new IllegalArgumentException("cannot raise opset of " + n.label() + ": axis " + axis
                + " is not known to be the last axis (the meaning changed at opset 13)");
    }

    private static void clipToInputs(Graph g, Node n) {
        String base = n.name().isEmpty() ? n.output(0) : n.name();
        float lo = n.attributes().getFloat("min", -Float.MAX_VALUE), hi = n.attributes().getFloat("max", Float.MAX_VALUE);
        n.attributes().remove("min");
        n.attributes().remove("max");
        n.setInput(1, ConstantWeights.addInitializer(g, base + "_min", Tensor.scalar(lo)));
        n.setInput(2, ConstantWeights.addInitializer(g, base + "_max", Tensor.scalar(hi)));
    }
}
