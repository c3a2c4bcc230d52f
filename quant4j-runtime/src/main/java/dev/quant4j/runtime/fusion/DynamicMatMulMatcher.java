package dev.quant4j.runtime.fusion;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The dynamic-quantization chain (as written by ONNX Runtime's quantizer and by quant4j's):
 *
 * <pre>
 *   MatMulInteger(a_q, W_q, a_z[, w_z]) ─ Cast(to float) ─ Mul(·, s) ─ [Add(·, bias[N])]   ──▶  IntMatMulScaled(a_q W_q a_z w_z s bias)
 *   s = a_scale·w_scale: a constant, or Mul(DynamicQuantizeLinear's scale, constant), of one or N values
 * </pre>
 * The fused node runs the same int8 GEMM and computes {@code (float) acc · s[j] + bias[j]} in its
 * epilogue: the same float operations as Cast, Mul and Add, so the result is identical.
 */
final class DynamicMatMulMatcher implements QdqFusion.Matcher {

    @Override
    public QdqFusion.Rewrite match(GraphView v, Node mm) {
        if (!mm.isOnnxDomain() || !mm.opType().equals("MatMulInteger") || mm.outputs().size() != 1) return null;
        Tensor w = v.constant(mm.input(1));
        if (w == null || w.rank() != 2 || !Patterns.is8Bit(w.dtype())) return null;
        long n = w.dim(1);
        if (mm.hasInput(3)) {
            Tensor wz = v.constant(mm.input(3));
            if (wz == null || (wz.elementCount() != 1 && wz.elementCount() != n)) return null;
        }
        if (!scalarZeroPoint(v, mm.input(2))) return null;

        Node cast = v.soleConsumer(mm.output(0));
        if (cast == null || !cast.isOnnxDomain() || !cast.opType().equals("Cast") || cast.attributes().getInt("to", 0) != DataType.FLOAT32.onnxCode()) return null;
        Node mul = v.soleConsumer(cast.output(0));
        if (mul == null || !mul.isOnnxDomain() || !mul.opType().equals("Mul") || mul.inputs().size() != 2) return null;
        String s = mul.input(0).equals(cast.output(0)) ? mul.input(1) : mul.input(0);
        if (s.equals(cast.output(0)) || !perColumn(v, s, n)) return null;

        List<Node> replaced = new ArrayList<>(List.of(mm, cast, mul));
        String out = mul.output(0), bias = "";
        Node add = v.soleConsumer(out);
        if (add != null && add.isOnnxDomain() && add.opType().equals("Add") && add.inputs().size() == 2) {
            String other = add.input(0).equals(out) ? add.input(1) : add.input(0);
            Tensor b = v.constant(other);
            if (!other.equals(out) && b != null && b.dtype() == DataType.FLOAT32 && b.rank() == 1 && b.dim(0) == n) {
                replaced.add(add);
                bias = other;
                out = add.output(0);
            }
        }
        List<String> inputs = List.of(mm.input(0), mm.input(1), mm.input(2), mm.input(3), s, bias);
        return new QdqFusion.Rewrite(replaced, Patterns.fused("IntMatMulScaled", mm, inputs, out, new Attributes()));
    }

    /** The A zero-point is one value: a constant, or DynamicQuantizeLinear's zero-point output (a scalar). */
    private static boolean scalarZeroPoint(GraphView v, String z) {
        if (z.isEmpty()) return true;
        Tensor t = v.constant(z);
        if (t != null) return t.elementCount() == 1;
        Node p = v.producer(z, "DynamicQuantizeLinear");
        return p != null && p.output(2).equals(z);
    }

    /** Whether {@code s} holds one value or one per output column, with rank ≤ 1 (so it broadcasts along the last axis only). */
    private static boolean perColumn(GraphView v, String s, long n) {
        Tensor t = v.constant(s);
        if (t != null) return t.dtype() == DataType.FLOAT32 && t.rank() <= 1 && (t.elementCount() == 1 || t.elementCount() == n);
        Node p = v.producer(s, "Mul");
        if (p == null || p.inputs().size() != 2) return false;
        return factor(v, p.input(0), n) && factor(v, p.input(1), n)
                && !(isDynamicScale(v, p.input(0)) && isDynamicScale(v, p.input(1)));
    }

    private static boolean factor(GraphView v, String f, long n) {
        if (isDynamicScale(v, f)) return true;
        Tensor t = v.constant(f);
        return t != null && t.dtype() == DataType.FLOAT32 && t.rank() <= 1 && (t.elementCount() == 1 || t.elementCount() == n);
    }

    private static boolean isDynamicScale(GraphView v, String f) {
        Node p = v.producer(f, "DynamicQuantizeLinear");
        return p != null && p.output(1).equals(f);
    }
}
