package dev.quant4j.runtime.fusion;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;

/** The pieces the matchers share: per-tensor Q/DQ with constant parameters, a trailing Relu or Clip. */
final class Patterns {
    private Patterns() {}

    /** A DequantizeLinear (or QuantizeLinear) with constant parameters: its node, codes (or input) and parameter names. */
    record QdqNode(Node node, String value, String scale, String zeroPoint, DataType type) {}

    /** A Relu, or a Clip with constant bounds, applied to the fused node's float result. */
    record Activation(Node node, float min, float max) {
        static final Activation NONE = new Activation(null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        boolean present() { return node != null; }
    }

    static boolean is8Bit(DataType t) { return t == DataType.INT8 || t == DataType.UINT8; }

    /**
     * The per-tensor DequantizeLinear that produces {@code value}, with a constant one-element
     * scale and a constant 8-bit zero-point (which fixes the code type); else null.
     */
    static QdqNode perTensorDequantize(GraphView v, String value) {
        Node dq = v.producer(value, "DequantizeLinear");
        if (dq == null) return null;
        return perTensor(v, dq, dq.input(0));
    }

    /** The QuantizeLinear that alone reads {@code value}, per tensor with constant parameters; else null. */
    static QdqNode soleQuantize(GraphView v, String value) {
        Node q = v.soleConsumer(value);
        if (q == null || !q.isOnnxDomain() || !q.opType().equals("QuantizeLinear") || !q.input(0).equals(value)) return null;
        return perTensor(v, q, q.output(0));
    }

    private static QdqNode perTensor(GraphView v, Node n, String codes) {
        if (n.attributes().getInt("block_size", 0) != 0) return null;
        Tensor s = v.constant(n.input(1)), z = v.constant(n.input(2));
        if (s == null || z == null || s.elementCount() != 1 || z.elementCount() != 1 || !is8Bit(z.dtype())) return null;
        if (s.dtype() != DataType.FLOAT32) return null;
        return new QdqNode(n, codes, n.input(1), n.input(2), z.dtype());
    }

    /** The Relu or constant-bound Clip that alone reads {@code value}; {@link Activation#NONE} when there is none. */
    static Activation soleActivation(GraphView v, String value, long opset) {
        Node a = v.soleConsumer(value);
        if (a == null || !a.isOnnxDomain() || !a.input(0).equals(value)) return Activation.NONE;
        if (a.opType().equals("Relu")) return new Activation(a, 0f, Float.POSITIVE_INFINITY);
        if (!a.opType().equals("Clip")) return Activation.NONE;
        Attributes at = a.attributes();
        if (opset < 11) return new Activation(a, at.getFloat("min", -Float.MAX_VALUE), at.getFloat("max", Float.MAX_VALUE));
        float lo = Float.NEGATIVE_INFINITY, hi = Float.POSITIVE_INFINITY;
        if (a.hasInput(1)) {
            Tensor t = v.constant(a.input(1));
            if (t == null || t.elementCount() != 1 || t.dtype() != DataType.FLOAT32) return Activation.NONE;
            lo = t.floats()[0];
        }
        if (a.hasInput(2)) {
            Tensor t = v.constant(a.input(2));
            if (t == null || t.elementCount() != 1 || t.dtype() != DataType.FLOAT32) return Activation.NONE;
            hi = t.floats()[0];
        }
        return new Activation(a, lo, hi);
    }

    /** What follows a fused anchor: an optional Relu/Clip, then (when {@code allowQ}) an optional QuantizeLinear. */
    record Tail(List<Node> nodes, String output, Activation activation, QdqNode quantize) {}

    static Tail tail(GraphView v, String value, boolean allowQ) {
        List<Node> nodes = new java.util.ArrayList<>();
        String out = value;
        Activation act = soleActivation(v, out, v.opset);
        if (act.present()) { nodes.add(act.node()); out = act.node().output(0); }
        QdqNode q = allowQ ? soleQuantize(v, out) : null;
        if (q != null) { nodes.add(q.node()); out = q.value(); }
        return new Tail(nodes, out, act, q);
    }

    /** Puts the activation's bounds on a fused node (absent: no activation). */
    static void putActivation(Attributes a, Activation act) {
        if (!act.present()) return;
        a.put("act_min", act.min());
        a.put("act_max", act.max());
    }

    static Node fused(String opType, Node anchor, List<String> inputs, String output, Attributes attributes) {
        String name = anchor.name().isEmpty() ? anchor.output(0) : anchor.name();
        return new Node(name + "_fused", opType, QdqFusion.DOMAIN, inputs, List.of(output), attributes);
    }

    /** Values of an integer tensor as int (constant parameters only, so speed does not matter). */
    static int[] ints(Tensor t) {
        int n = Math.toIntExact(t.elementCount());
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = (int) t.getLong(i);
        return r;
    }
}
