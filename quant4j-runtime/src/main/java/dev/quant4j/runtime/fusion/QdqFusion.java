package dev.quant4j.runtime.fusion;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the quantized patterns of a graph into single nodes that run on the integer kernels,
 * when a session is prepared. Works on a copy; the model's graph is left as it was.
 *
 * <pre>
 *   static (QDQ)     DQ(x_q) ─┐
 *                    DQ(W_q) ─┼─ Conv | MatMul | Gemm ─ [Relu | Clip] ─ [Q] ──▶ QdqConv | QdqMatMul | QdqGemm
 *                    DQ(B_32)─┘                                                  (int8 GEMM, one requantization)
 *                    DQ(a_q), DQ(b_q) or a constant ─ Add ─ [Relu | Clip] ─ [Q] ──▶ QdqAdd / QdqAddConst (one pass)
 *   dynamic          MatMulInteger ─ Cast(float) ─ Mul(scale) ─ [Add(bias)]  ──▶ IntMatMulScaled (epilogue scales)
 *   weight-only      DQ(W_q int4/int8, blocked along K) ─ MatMul             ──▶ BlockedMatMul (gemvQ / gemmQ)
 * </pre>
 *
 * A pattern is fused only when it matches exactly: constant weights and quantization parameters,
 * per-tensor activations, intermediate values read by nothing else and not graph outputs. Anything
 * else stays as written and runs in float. com.microsoft MatMulNBits needs no rewrite: its operator
 * already runs on the weight-only kernels.
 */
public final class QdqFusion {
    /** Domain of the fused operators (not an ONNX domain: fused graphs are never written out). */
    public static final String DOMAIN = "dev.quant4j.fused";

    private QdqFusion() {}

    /** The fused graph and one line per fused pattern ("QdqConv: conv1 + relu1 + q1"). */
    public record Result(Graph graph, List<String> fused) {
        /** How many patterns became {@code opType}. */
        public long count(String opType) { return fused.stream().filter(f -> f.startsWith(opType + ":")).count(); }
    }

    /** One match: the nodes it replaces (the anchor first) and the node that replaces them. */
    record Rewrite(List<Node> replaced, Node fused) {}

    interface Matcher {
        /** The rewrite for the pattern anchored at {@code node}, or null when it does not match. */
        Rewrite match(GraphView view, Node node);
    }

    private static final List<Matcher> MATCHERS = List.of(new LinearMatcher(), new AddMatcher(), new DynamicMatMulMatcher(), new BlockedWeightMatcher());

    /** Returns the graph itself (nothing fused) or a fused copy; {@code opset} is the model's ONNX opset. */
    public static Result apply(Graph graph, long opset) {
        Graph g = graph.copy();
        List<String> fused = new ArrayList<>();
        for (Matcher m : MATCHERS) {
            GraphView view = new GraphView(g, opset);
            for (Node node : List.copyOf(g.nodes())) {
                if (!g.nodes().contains(node)) continue;
                Rewrite r = m.match(view, node);
                if (r == null) continue;
                apply(g, r, opset);
                fused.add(r.fused().opType() + ": " + String.join(" + ", r.replaced().stream().map(QdqFusion::label).toList()));
                view = new GraphView(g, opset);
            }
        }
        return new Result(fused.isEmpty() ? graph : g, Collections.unmodifiableList(fused));
    }

    private static void apply(Graph g, Rewrite r, long opset) {
        Set<Node> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(r.replaced());
        int last = -1;
        for (Node n : r.replaced()) last = Math.max(last, g.nodes().indexOf(n));
        g.nodes().add(last + 1, r.fused());
        g.nodes().removeIf(gone::contains);
        // DequantizeLinear nodes whose every reader was fused are dead now.
        List<String> inputs = new ArrayList<>();
        for (Node n : r.replaced()) inputs.addAll(n.inputs());
        GraphView after = new GraphView(g, opset);
        for (String in : inputs) {
            Node p = after.producer(in, "DequantizeLinear");
            if (p != null && after.consumers(in).isEmpty() && !after.isGraphOutput(in)) g.removeNode(p);
        }
    }

    static String label(Node n) { return n.name().isEmpty() ? n.opType() + "(" + n.output(0) + ")" : n.name(); }
}
