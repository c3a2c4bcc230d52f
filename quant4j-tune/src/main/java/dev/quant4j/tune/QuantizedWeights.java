package dev.quant4j.tune;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.runtime.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads back the weight a quantized model's layer actually computes with, in float, from the
 * quantized file's own tensors — so weight SQNR measures what the quantizer wrote, not what it
 * meant to write. Three forms:
 *
 * <pre>
 *   W_q --DequantizeLinear / Cast--> node          (static QDQ, blocked weight-only, fp16, int8 tables)
 *                                                    evaluated by quant4j's runtime on the constants alone
 *   MatMulInteger(a_q, W_int8) -> Cast -> Mul(., a_scale * W_scale) [-> Add bias]   (dynamic int8)
 *   MatMulNBits(x, B uint8 [N][blocks][bytes], scales [N*blocks] [, zero_points])   (weight-only)
 * </pre>
 */
final class QuantizedWeights {
    private QuantizedWeights() {}

    /** The float weight {@code layer} of the float graph reads: the first constant float input with 16+ values. */
    static WeightSlot weightOf(Graph fp32, Node layer) {
        for (int i = 0; i < layer.inputs().size(); i++) {
            String v = layer.input(i);
            Tensor t = constant(fp32, v);
            if (t != null && t.dtype() == DataType.FLOAT32 && t.elementCount() >= 16) return new WeightSlot(i, v, t);
        }
        return null;
    }

    /** A layer's weight input: its position, value name and tensor. */
    record WeightSlot(int input, String value, Tensor tensor) {}

    /**
     * The weight as {@code quantized} computes with it, laid out like the float weight, or null when
     * the layer's form is not one of the three above.
     */
    static float[] readBack(Model quantized, Node fp32Layer, WeightSlot slot) {
        Graph g = quantized.graph();
        Node same = g.node(fp32Layer.name());
        if (same != null && same.opType().equals("MatMulNBits")) return matMulNBits(g, same);
        if (same != null && same.opType().equals(fp32Layer.opType())) {
            String v = same.input(slot.input());
            Tensor t = g.initializers().get(v);
            if (t != null) return t.dtype() == DataType.FLOAT32 ? t.floats() : null;
            return evaluateConstant(quantized, v);
        }
        return dynamic(g, fp32Layer);
    }

    /** Runs the nodes that compute {@code value} from initializers alone (DequantizeLinear, Cast, …). */
    private static float[] evaluateConstant(Model model, String value) {
        Graph g = model.graph();
        Graph mini = new Graph("weight " + value);
        Deque<String> todo = new ArrayDeque<>(List.of(value));
        Set<String> seen = new HashSet<>();
        List<Node> chain = new ArrayList<>();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (v.isEmpty() || !seen.add(v)) continue;
            Tensor init = g.initializers().get(v);
            if (init != null) { mini.initializers().put(v, init); continue; }
            Node p = g.producer(v);
            if (p == null || chain.size() > 8) return null; // a graph input or a long chain: not a constant weight
            chain.add(p);
            todo.addAll(p.inputs());
        }
        for (int i = chain.size() - 1; i >= 0; i--) mini.addNode(chain.get(i).copy());
        mini.topologicalSort();
        mini.outputs().add(new ValueInfo(value, null));
        Model m = new Model(mini);
        m.opsets().putAll(model.opsets());
        try (Session s = Session.create(m)) {
            Tensor out = s.run(Map.of()).get(value);
            return out.dtype() == DataType.FLOAT32 ? out.floats() : null;
        }
    }

    /** Dynamic int8: W_int8[K][N] times the per-column weight scale, walked back from the layer's output. */
    private static float[] dynamic(Graph g, Node fp32Layer) {
        Node p = g.producer(fp32Layer.output(0));
        if (p != null && p.opType().equals("Add")) p = g.producer(p.input(0));
        if (p == null || !p.opType().equals("Mul")) return null;
        Node cast = g.producer(p.input(0)), scaleMul = g.producer(p.input(1));
        if (cast == null || !cast.opType().equals("Cast") || scaleMul == null || !scaleMul.opType().equals("Mul")) return null;
        Node mmi = g.producer(cast.input(0));
        if (mmi == null || !mmi.opType().equals("MatMulInteger")) return null;
        Tensor wq = g.initializers().get(mmi.input(1)), ws = g.initializers().get(scaleMul.input(1));
        if (wq == null || ws == null || wq.rank() != 2) return null;
        int k = (int) wq.dim(0), n = (int) wq.dim(1);
        int[] codes = QuantizedStorage.unpack(wq.bytes(), wq.dtype(), k * n);
        float[] s = ws.floats();
        float[] w = new float[k * n];
        for (int i = 0; i < k; i++) for (int j = 0; j < n; j++) w[i * n + j] = codes[i * n + j] * s[s.length == 1 ? 0 : j];
        boolean transB = fp32Layer.opType().equals("Gemm") && fp32Layer.attributes().getInt("transB", 0) != 0;
        return transB ? transpose(w, k, n) : w;
    }

    /** MatMulNBits (com.microsoft): codes per column in blocks along K, W[k][n] = scale * (code - zero point). */
    private static float[] matMulNBits(Graph g, Node nb) {
        int k = (int) nb.attributes().getInt("K", 0), n = (int) nb.attributes().getInt("N", 0);
        int bits = (int) nb.attributes().getInt("bits", 4), bs = (int) nb.attributes().getInt("block_size", 32);
        Tensor b = g.initializers().get(nb.input(1)), sc = g.initializers().get(nb.input(2));
        if (b == null || sc == null || k <= 0 || n <= 0) return null;
        int blocks = (k + bs - 1) / bs, perCol = blocks * bs;
        DataType code = bits == 4 ? DataType.UINT4 : DataType.UINT8;
        int[] codes = QuantizedStorage.unpack(b.bytes(), code, n * perCol);
        int[] zp = null;
        if (nb.hasInput(3)) {
            Tensor z = g.initializers().get(nb.input(3));
            if (z == null) return null;
            int zPerCol = bits == 4 ? (blocks + 1) / 2 : blocks;
            byte[] raw = z.bytes();
            zp = new int[n * blocks];
            for (int col = 0; col < n; col++) {
                int[] u = QuantizedStorage.unpack(java.util.Arrays.copyOfRange(raw, col * zPerCol, (col + 1) * zPerCol), code, blocks);
                System.arraycopy(u, 0, zp, col * blocks, blocks);
            }
        }
        float[] s = sc.floats();
        float[] w = new float[k * n];
        int mid = 1 << (bits - 1);
        for (int col = 0; col < n; col++)
            for (int kk = 0; kk < k; kk++) {
                int blk = kk / bs;
                int z = zp == null ? mid : zp[col * blocks + blk];
                w[kk * n + col] = s[col * blocks + blk] * (codes[col * perCol + kk] - z);
            }
        return w;
    }

    private static Tensor constant(Graph g, String v) {
        if (v.isEmpty() || g.inputNames().contains(v)) return null;
        Tensor t = g.initializers().get(v);
        if (t != null) return t;
        Node p = g.producer(v);
        if (p != null && p.opType().equals("Constant") && p.attributes().has("value")) return p.attributes().getTensor("value");
        return null;
    }

    private static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return t;
    }
}
