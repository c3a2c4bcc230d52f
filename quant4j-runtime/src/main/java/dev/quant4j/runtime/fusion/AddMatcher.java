package dev.quant4j.runtime.fusion;

import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Static QDQ around an Add (residual connections):
 *
 * <pre>
 *   DQ(a_q, a_s, a_z) ─┐
 *                      ├─ Add ─ [Relu | Clip] ─ [Q(y_s, y_z)]   ──▶  QdqAdd(a_q a_s a_z b_q b_s b_z y_s y_z)
 *   DQ(b_q, b_s, b_z) ─┘
 * </pre>
 * or, when one addend is a float constant, QdqAddConst(a_q a_s a_z c y_s? y_z?).
 * The fused node does the same float arithmetic as the nodes it replaces, element by element in
 * one pass, so its output is identical; what it saves is the float tensors in between.
 */
final class AddMatcher implements QdqFusion.Matcher {

    @Override
    public QdqFusion.Rewrite match(GraphView v, Node add) {
        if (!add.isOnnxDomain() || !add.opType().equals("Add") || add.inputs().size() != 2 || add.outputs().size() != 1) return null;
        Patterns.QdqNode a = Patterns.perTensorDequantize(v, add.input(0)), b = Patterns.perTensorDequantize(v, add.input(1));
        if (a == null && b == null) return null;
        if (a == null || b == null) return withConstant(v, add, a != null ? a : b, a != null ? add.input(1) : add.input(0));
        List<String> inputs = new ArrayList<>(List.of(a.value(), a.scale(), a.zeroPoint(), b.value(), b.scale(), b.zeroPoint()));
        return rewrite(v, add, "QdqAdd", inputs);
    }

    /**
     * DQ(a_q) + a float constant c (a bias the quantizer left in float), [Relu | Clip], [Q]:
     * QdqAddConst(a_q a_s a_z c y_s? y_z?).
     */
    private static QdqFusion.Rewrite withConstant(GraphView v, Node add, Patterns.QdqNode a, String c) {
        dev.quant4j.graph.Tensor t = v.constant(c);
        if (t == null || t.dtype() != dev.quant4j.core.DataType.FLOAT32) return null;
        return rewrite(v, add, "QdqAddConst", new ArrayList<>(List.of(a.value(), a.scale(), a.zeroPoint(), c)));
    }

    /** The Add with its Relu/Clip and Q absorbed; {@code inputs} get y_s and y_z appended (empty without a Q). */
    private static QdqFusion.Rewrite rewrite(GraphView v, Node add, String opType, List<String> inputs) {
        Patterns.Tail t = Patterns.tail(v, add.output(0), true);
        List<Node> replaced = new ArrayList<>(List.of(add));
        replaced.addAll(t.nodes());
        Attributes at = new Attributes();
        Patterns.putActivation(at, t.activation());
        inputs.add(t.quantize() != null ? t.quantize().scale() : "");
        inputs.add(t.quantize() != null ? t.quantize().zeroPoint() : "");
        return new QdqFusion.Rewrite(replaced, Patterns.fused(opType, add, inputs, t.output(), at));
    }
}
