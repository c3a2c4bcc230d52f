package dev.quant4j.graph.infer;

import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** If (both branches, merged; or the taken one when the condition is known) and Loop. */
final class ControlFlowRules {
    private ControlFlowRules() {}

    static void register(ShapeRules r) {
        r.register("If", ControlFlowRules::ifRule);
        r.register("Loop", ControlFlowRules::loop);
    }

    private static void ifRule(InferenceContext ctx) {
        Graph then = ctx.attrs().getGraph("then_branch"), other = ctx.attrs().getGraph("else_branch");
        if (then == null || other == null) throw ctx.fail("If without both branches");
        Tensor cond = ctx.constant(0);
        if (cond != null && cond.elementCount() == 1) {
            List<ValueType> taken = ctx.inferSubgraph(cond.getLong(0) != 0 ? then : other, Map.of());
            for (int i = 0; i < taken.size(); i++) ctx.setOutputType(i, taken.get(i));
            return;
        }
        // With the condition unknown, a branch whose shapes contradict themselves cannot be the
        // one that runs without error: the outputs are then the other branch's.
        List<ValueType> a, b;
        try {
            a = ctx.inferSubgraph(then, Map.of());
        } catch (ShapeInferenceException e) {
            b = ctx.inferSubgraph(other, Map.of());
            for (int i = 0; i < b.size(); i++) ctx.setOutputType(i, b.get(i));
            return;
        }
        try {
            b = ctx.inferSubgraph(other, Map.of());
        } catch (ShapeInferenceException e) {
            for (int i = 0; i < a.size(); i++) ctx.setOutputType(i, a.get(i));
            return;
        }
        if (a.size() != b.size()) throw ctx.fail("If branches have " + a.size() + " and " + b.size() + " outputs");
        for (int i = 0; i < a.size(); i++) ctx.setOutputType(i, merge(a.get(i), b.get(i)));
    }

    /** What both branches agree on: equal dimensions stay, differing ones become unknown. */
    static ValueType merge(ValueType a, ValueType b) {
        if (a == null || b == null) return null;
        if (a.equals(b)) return a;
        if (a instanceof ValueType.TensorType x && b instanceof ValueType.TensorType y) {
            Shape s = null;
            if (x.shape() != null && y.shape() != null && x.shape().rank() == y.shape().rank()) {
                List<Dim> d = new ArrayList<>();
                for (int i = 0; i < x.shape().rank(); i++) d.add(x.shape().dim(i).equals(y.shape().dim(i)) ? x.shape().dim(i) : Dim.UNKNOWN);
                s = new Shape(d);
            }
            return new ValueType.TensorType(x.elemType() == y.elemType() ? x.elemType() : null, s);
        }
        return null;
    }

    /** Loop: outputs are the N loop-carried values (as the body leaves them) then the scan outputs with a leading unknown axis. */
    private static void loop(InferenceContext ctx) {
        Graph body = ctx.attrs().getGraph("body");
        if (body == null) throw ctx.fail("Loop without body");
        Map<String, ValueType> in = new HashMap<>();
        List<ValueInfo> formal = body.inputs();
        for (int i = 0; i < formal.size(); i++) {
            ValueType t = i >= 2 ? ctx.type(i) : formal.get(i).type();
            if (t != null) in.put(formal.get(i).name(), t);
        }
        List<ValueType> out = ctx.inferSubgraph(body, in);
        int carried = Math.max(0, formal.size() - 2);
        for (int i = 0; i < ctx.outputCount(); i++) {
            int bodyOut = i + 1;
            if (bodyOut >= out.size()) break;
            ValueType t = out.get(bodyOut);
            if (i >= carried && t instanceof ValueType.TensorType tt) {
                List<Dim> d = new ArrayList<>();
                d.add(Dim.UNKNOWN);
                if (tt.shape() != null) d.addAll(tt.shape().dims());
                t = new ValueType.TensorType(tt.elemType(), tt.shape() == null ? null : new Shape(d));
            } else if (i < carried) {
                t = merge(t, ctx.type(i + 2));
            }
            ctx.setOutputType(i, t);
        }
    }
}
