package dev.quant4j.runtime.fusion;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.List;

/**
 * Weight-only quantization in the opset-21 form: a blocked DequantizeLinear of a constant
 * [K, N] weight, blocks along K, read by one MatMul as its B:
 *
 * <pre>
 *   DQ(W_q int4|uint4|int8|uint8 [K,N], scale [K/B, N], zero_point?, axis 0, block_size B) ─ MatMul(x, ·)
 *     ──▶  BlockedMatMul(x, W_q, scale, zero_point)  (the weight-only kernels read the codes directly)
 * </pre>
 * B must be a power of two ≥ 16 (what the kernels' block layout takes); other shapes stay as they are.
 */
final class BlockedWeightMatcher implements QdqFusion.Matcher {

    @Override
    public QdqFusion.Rewrite match(GraphView v, Node mm) {
        if (!mm.isOnnxDomain() || !mm.opType().equals("MatMul") || mm.outputs().size() != 1) return null;
        Node dq = v.producer(mm.input(1), "DequantizeLinear");
        if (dq == null || !v.onlyReadBy(mm.input(1), mm) || mm.input(0).equals(mm.input(1))) return null;
        long block = dq.attributes().getInt("block_size", 0), axis = dq.attributes().getInt("axis", 1);
        if (block < 16 || Long.bitCount(block) != 1 || (axis != 0 && axis != -2)) return null;
        Tensor w = v.constant(dq.input(0)), s = v.constant(dq.input(1));
        Tensor z = dq.hasInput(2) ? v.constant(dq.input(2)) : null;
        if (w == null || s == null || (dq.hasInput(2) && z == null) || w.rank() != 2 || s.rank() != 2 || s.dtype() != DataType.FLOAT32) return null;
        DataType t = w.dtype();
        if (t != DataType.INT4 && t != DataType.UINT4 && t != DataType.INT8 && t != DataType.UINT8) return null;
        long k = w.dim(0), n = w.dim(1), blocks = (k + block - 1) / block;
        if (s.dim(0) != blocks || s.dim(1) != n) return null;
        if (z != null && (z.dtype() != t || z.rank() != 2 || z.dim(0) != blocks || z.dim(1) != n)) return null;
        Attributes a = new Attributes().put("block_size", block);
        List<String> inputs = List.of(mm.input(0), dq.input(0), dq.input(1), dq.hasInput(2) ? dq.input(2) : "");
        return new QdqFusion.Rewrite(List.of(mm), Patterns.fused("BlockedMatMul", mm, inputs, mm.output(0), a));
    }
}
