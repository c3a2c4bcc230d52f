package dev.quant4j.runtime.fusion;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Static QDQ around a Conv, MatMul or Gemm:
 *
 * <pre>
 *   DQ(x_q, x_s, x_z)             per tensor          ─┐
 *   DQ(W_q, w_s[, w_z])           per tensor or per output channel, constant   ─┼─ op ─ [Relu | Clip] ─ [Q(y_s, y_z)]
 *   DQ(B_int32, x_s·w_s[j]) or a float constant       (optional bias)          ─┘
 * </pre>
 * becomes one node with inputs {@code x_q x_s x_z W_q w_s w_z B_int32 B_float y_s y_z} (empty
 * names for what is absent). With the trailing Q the node outputs the 8-bit codes (acc + B_int32)·
 * (x_s·w_s[j] / y_s), rounded once — possible only when the bias is the int32 DQ whose scale is
 * exactly x_s·w_s[j]; otherwise (or without a Q) it outputs floats acc·x_s·w_s[j] + B_float and
 * the Q, if any, stays a node of its own.
 */
final class LinearMatcher implements QdqFusion.Matcher {

    @Override
    public QdqFusion.Rewrite match(GraphView v, Node op) {
        if (!op.isOnnxDomain()) return null;
        String type = op.opType();
        if (!type.equals("Conv") && !type.equals("MatMul") && !type.equals("Gemm")) return null;
        Attributes at = op.attributes();
        boolean transB = type.equals("Gemm") && at.getInt("transB", 0) != 0;
        if (type.equals("Gemm") && (at.getInt("transA", 0) != 0 || at.getFloat("alpha", 1f) != 1f
                || (op.hasInput(2) && at.getFloat("beta", 1f) != 1f))) return null;
        if (op.outputs().size() != 1) return null;

        Patterns.QdqNode x = Patterns.perTensorDequantize(v, op.input(0));
        if (x == null) return null;
        Node dqw = v.producer(op.input(1), "DequantizeLinear");
        if (dqw == null || dqw.attributes().getInt("block_size", 0) != 0) return null;
        Tensor wq = v.constant(dqw.input(0)), ws = v.constant(dqw.input(1));
        Tensor wz = dqw.hasInput(2) ? v.constant(dqw.input(2)) : null;
        if (wq == null || ws == null || (dqw.hasInput(2) && wz == null) || !Patterns.is8Bit(wq.dtype()) || ws.dtype() != DataType.FLOAT32) return null;
        int rank = wq.rank();
        if (type.equals("Conv") ? rank < 3 : rank != 2) return null;
        int outAxis = type.equals("Conv") || transB ? 0 : 1;
        long channels = wq.dim(outAxis);
        if (ws.elementCount() != 1) {
            long axis = dqw.attributes().getInt("axis", 1);
            if (axis < 0) axis += rank;
            if (ws.rank() != 1 || axis != outAxis || ws.elementCount() != channels) return null;
        }
        if (wz != null && (wz.elementCount() != ws.elementCount() || wz.dtype() != wq.dtype())) return null;

        // Bias: int32 codes behind a DQ, or a float constant.
        String biasInt = "", biasFloat = "";
        boolean biasExact = true;
        if (op.hasInput(2)) {
            biasFloat = op.input(2);
            Node dqb = v.producer(biasFloat, "DequantizeLinear");
            Tensor bf = v.constant(biasFloat);
            if (dqb != null) {
                Tensor bq = v.constant(dqb.input(0)), bs = v.constant(dqb.input(1));
                Tensor bz = dqb.hasInput(2) ? v.constant(dqb.input(2)) : null;
                if (bq == null || bs == null || (dqb.hasInput(2) && bz == null) || bq.elementCount() != channels) return null;
                biasExact = bq.dtype() == DataType.INT32 && (bz == null || allZero(bz))
                        && bs.dtype() == DataType.FLOAT32 && scaleIsProduct(bs, v.constant(x.scale()), ws, channels);
                if (biasExact) biasInt = dqb.input(0);
            } else if (bf == null || bf.dtype() != DataType.FLOAT32 || bf.elementCount() != channels) {
                return null;
            } else {
                biasExact = false;
            }
            if (type.equals("Conv") && v.constant(biasFloat) == null && dqb == null) return null;
        }

        Patterns.Tail tail = Patterns.tail(v, op.output(0), biasExact);
        List<Node> replaced = new ArrayList<>(List.of(op));
        replaced.addAll(tail.nodes());
        Patterns.QdqNode q = tail.quantize();
        String out = tail.output();

        Attributes a = at.copy();
        Patterns.putActivation(a, tail.activation());
        List<String> inputs = List.of(x.value(), x.scale(), x.zeroPoint(), dqw.input(0), dqw.input(1), dqw.hasInput(2) ? dqw.input(2) : "",
                q != null ? biasInt : "", q != null ? "" : biasFloat, q != null ? q.scale() : "", q != null ? q.zeroPoint() : "");
        return new QdqFusion.Rewrite(replaced, Patterns.fused("Qdq" + type, op, inputs, out, a));
    }

    private static boolean allZero(Tensor t) {
        for (int z : Patterns.ints(t)) if (z != 0) return false;
        return true;
    }

    /** True when the bias scale is exactly x_s·w_s[j] in float: then the int32 bias adds in accumulator units. */
    private static boolean scaleIsProduct(Tensor bs, Tensor xs, Tensor ws, long channels) {
        if (bs.elementCount() != 1 && bs.elementCount() != channels) return false;
        float x = xs.floats()[0];
        float[] w = ws.floats(), b = bs.floats();
        for (int j = 0; j < channels; j++) {
            float want = x * w[w.length == 1 ? 0 : j];
            if (Float.floatToIntBits(b[b.length == 1 ? 0 : j]) != Float.floatToIntBits(want)) return false;
        }
        return true;
    }
}
