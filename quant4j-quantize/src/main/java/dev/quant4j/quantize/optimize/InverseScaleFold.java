package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Folds a per-channel factor f (last axis, length K) into the constants that produce a value x,
 * so that x becomes x·f without a new node. Only through producers where this is exact:
 *
 * <pre>
 *   x = Mul(y, c)   ->  Mul(y, c·f)                        (c a constant, scalar or [K])
 *   x = Add(y, b)   ->  Add(y·f, b·f), recursively into y    (b a constant, scalar or [K])
 * </pre>
 *
 * and only when every value on the way is read by nothing else than the next node of the chain
 * (and, for x, by the given readers). Nothing is changed unless the whole chain folds.
 */
final class InverseScaleFold {
    private InverseScaleFold() {}

    private record Site(Node node, int input, Tensor constant) {}

    static boolean tryFold(Graph g, String x, List<Node> readers, float[] f) {
        if (g.isGraphOutput(x) || !new HashSet<>(readers).containsAll(g.consumers(x))) return false;
        List<Site> sites = new ArrayList<>();
        String v = x;
        while (true) {
            Node p = g.producer(v);
            if (p == null || !p.isOnnxDomain() || !(p.opType().equals("Mul") || p.opType().equals("Add")) || p.inputs().size() != 2) return false;
            int ci = Constants.floatConstant(g, p.input(1)) != null ? 1 : Constants.floatConstant(g, p.input(0)) != null ? 0 : -1;
            if (ci < 0) return false;
            Tensor c = Constants.floatConstant(g, p.input(ci));
            if (c.elementCount() != 1 && !(c.elementCount() == f.length && c.dim(-1) == f.length)) return false;
            sites.add(new Site(p, ci, c));
            if (p.opType().equals("Mul")) break;
            v = p.input(1 - ci);                 // Add: the other addend must carry the factor too
            if (g.isGraphOutput(v) || g.consumers(v).size() != 1) return false;
        }
        for (Site s : sites) {
            float[] c = s.constant().floats();
            float[] out = new float[f.length];
            for (int j = 0; j < f.length; j++) out[j] = (c.length == 1 ? c[0] : c[j]) * f[j];
            Constants.replace(g, s.node(), s.input(), Tensor.of(out, f.length));
        }
        return true;
    }
}
