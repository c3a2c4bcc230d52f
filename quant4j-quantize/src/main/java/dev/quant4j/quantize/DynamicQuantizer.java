package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.core.quant.Quantizer;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic-range INT8: MatMul and Gemm nodes with a constant float weight W[K][N] (Gemm: transB
 * allowed, alpha = beta = 1, no transA) that the policy gives {@link Precision#INT8_DYNAMIC}
 * become
 *
 * <pre>
 *   A --DynamicQuantizeLinear--> a_q (uint8), a_scale, a_zp          (shared by every node reading A)
 *   MatMulInteger(a_q, W_q int8 [K][N], a_zp) -> int32 --Cast--> float
 *   * (a_scale * w_scale[N])  (+ C for Gemm)  -> the node's output
 * </pre>
 *
 * Gather nodes reading a constant float table [V][D] along axis 0 (embeddings) get an INT8 table
 * with one scale per row and a DequantizeLinear (axis 0) in front.
 *
 * W_q is symmetric narrow-range INT8 (-127..127, zero-point 0), per output channel n by default
 * or per tensor.
 */
public final class DynamicQuantizer {
    /**
     * @param perChannel one weight scale per output column, else one for the whole weight
     * @param reducedRange 7-bit weights (-63..63): x86 without VNNI multiplies u8 by s8 into saturating
     *        16-bit pair sums (255 * 127 * 2 overflows them; 255 * 63 * 2 does not), so ONNX Runtime's
     *        MatMulInteger there is only exact with reduced-range weights
     */
    public record Options(boolean perChannel, boolean reducedRange) {
        /** Per channel, reduced range: exact in every engine on every x86 CPU. */
        public static Options defaults() { return new Options(true, true); }
    }

    private DynamicQuantizer() {}

    private record QuantizedInput(String q, String scale, String zeroPoint) {}

    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Options options) {
        QuantizationReport report = new QuantizationReport("dynamic int8");
        Graph g = model.graph();
        Map<String, QuantizedInput> quantizedInputs = new HashMap<>();
        boolean any = false, needsPerAxis = false;
        for (Node node : List.copyOf(g.nodes())) {
            if (!node.isOnnxDomain() || !(node.opType().equals("MatMul") || node.opType().equals("Gemm") || node.opType().equals("Gather"))) continue;
            PrecisionPolicy.Decision d = policy.decide(node);
            if (node.opType().equals("Gather")) {
                Tensor table = ConstantWeights.floatConstant(g, node.input(0));
                if (table == null || table.rank() != 2 || node.attributes().getInt("axis", 0) != 0) continue; // shape arithmetic, not an embedding
                if (d.precision() != Precision.INT8_DYNAMIC) { report.kept(node.name(), node.opType(), d.precision(), d.reason()); continue; }
                quantizeEmbedding(g, node, table);
                needsPerAxis = true;
                report.quantized(node.name(), node.opType(), d.precision(), d.reason() + "; embedding table int8 per row");
                continue;
            }
            if (d.precision() != Precision.INT8_DYNAMIC) { report.kept(node.name(), node.opType(), d.precision(), d.reason()); continue; }
            String why = unsupported(g, node);
            if (why != null) { report.kept(node.name(), node.opType(), d.precision(), d.reason() + "; " + why); continue; }
            Tensor w = ConstantWeights.floatConstant(g, node.input(1));
            int k = Math.toIntExact(w.dim(0)), n = Math.toIntExact(w.dim(1));
            float[] wk = w.floats();
            if (node.opType().equals("Gemm") && node.attributes().getInt("transB", 0) != 0) { wk = transpose(wk, k, n); int t = k; k = n; n = t; }
            QuantizedInput a = quantizedInputs.computeIfAbsent(node.input(0), x -> insertDynamicQuantize(g, node, x));
            rewrite(g, node, a, wk, k, n, options);
            any = true;
            report.quantized(node.name(), node.opType(), d.precision(), d.reason() + "; int8 weights per " + (options.perChannel() ? "channel" : "tensor")
                    + (options.reducedRange() ? " (7-bit)" : "") + ", uint8 activations per run");
        }
        if (any || needsPerAxis) {
            // DynamicQuantizeLinear needs 11, a per-row DequantizeLinear 13
            if (model.onnxOpset() < (needsPerAxis ? 13 : 11)) OpsetUpgrade.to(model, needsPerAxis ? 13 : 11);
            g.eliminateDeadNodes();
        }
        report.recordIn(model);
        return report;
    }

    private static String unsupported(Graph g, Node node) {
        Tensor w = ConstantWeights.floatConstant(g, node.input(1));
        if (w == null || w.rank() != 2) return "B is not a constant float matrix";
        if (node.opType().equals("Gemm")) {
            Attributes at = node.attributes();
            if (at.getInt("transA", 0) != 0) return "Gemm with transA";
            if (at.getFloat("alpha", 1f) != 1f || at.getFloat("beta", 1f) != 1f) return "Gemm with alpha or beta other than 1";
        }
        return null;
    }

    private static QuantizedInput insertDynamicQuantize(Graph g, Node firstReader, String x) {
        String base = x.replace('/', '_');
        QuantizedInput a = new QuantizedInput(g.uniqueName(base + "_quantized"), g.uniqueName(base + "_scale"), g.uniqueName(base + "_zero_point"));
        g.insertBefore(firstReader, Node.of("DynamicQuantizeLinear", g.uniqueName(base + "_DynamicQuantizeLinear"), List.of(x),
                List.of(a.q(), a.scale(), a.zeroPoint())));
        return a;
    }

    private static void rewrite(Graph g, Node node, QuantizedInput a, float[] w, int k, int n, Options options) {
        boolean perChannel = options.perChannel();
        float[] scales = new float[perChannel ? n : 1];
        QuantSpec spec = QuantSpec.symmetric(DataType.INT8).withNarrowRange();
        if (options.reducedRange()) spec = spec.withReducedRange();
        for (int c = 0; c < scales.length; c++) {
            float absmax = 0;
            for (int kk = 0; kk < k; kk++) {
                if (perChannel) absmax = Math.max(absmax, Math.abs(w[kk * n + c]));
                else for (int j = 0; j < n; j++) absmax = Math.max(absmax, Math.abs(w[kk * n + j]));
            }
            scales[c] = ParamsFromRange.choose(spec, -absmax, absmax).scale();
        }
        int[] codes = new int[k * n];
        for (int kk = 0; kk < k; kk++)
            for (int c = 0; c < n; c++) codes[kk * n + c] = Quantizer.quantize(w[kk * n + c], scales[perChannel ? c : 0], 0, spec.qmin(), spec.qmax());
        String base = node.name().isEmpty() ? node.output(0) : node.name();
        String wq = ConstantWeights.addInitializer(g, base + "_W_int8", Tensor.ofBytes(DataType.INT8, QuantizedStorage.pack(codes, DataType.INT8), k, n));
        String ws = ConstantWeights.addInitializer(g, base + "_W_scale", perChannel ? Tensor.of(scales, n) : Tensor.scalar(scales[0]));
        String out = node.output(0);
        String yi = g.uniqueName(base + "_int32"), yf = g.uniqueName(base + "_float"), s = g.uniqueName(base + "_scale"),
                y = node.opType().equals("Gemm") && node.hasInput(2) ? g.uniqueName(base + "_scaled") : out;
        List<Node> added = new java.util.ArrayList<>();
        added.add(Node.of("MatMulInteger", g.uniqueName(base + "_MatMulInteger"), List.of(a.q(), wq, a.zeroPoint()), List.of(yi)));
        Node cast = Node.of("Cast", g.uniqueName(base + "_Cast"), List.of(yi), List.of(yf));
        cast.attributes().put("to", (long) DataType.FLOAT32.onnxCode());
        added.add(cast);
        added.add(Node.of("Mul", g.uniqueName(base + "_scale_Mul"), List.of(a.scale(), ws), List.of(s)));
        added.add(Node.of("Mul", g.uniqueName(base + "_Mul"), List.of(yf, s), List.of(y)));
        if (!y.equals(out)) added.add(Node.of("Add", g.uniqueName(base + "_bias_Add"), List.of(y, node.input(2)), List.of(out)));
        for (Node x : added) g.insertBefore(node, x);
        g.removeNode(node);
    }

    /**
     * An embedding table T[V][D] read by Gather: stored as int8 with one scale per row, dequantized
     * by a per-axis DequantizeLinear in front of the Gather (rows are what a lookup reads, so one
     * outlier row does not coarsen the others).
     */
    private static void quantizeEmbedding(Graph g, Node gather, Tensor table) {
        int v = Math.toIntExact(table.dim(0)), dim = Math.toIntExact(table.dim(1));
        float[] t = table.floats();
        QuantSpec spec = QuantSpec.symmetric(DataType.INT8).withNarrowRange();
        float[] scales = new float[v];
        int[] codes = new int[t.length];
        for (int r = 0; r < v; r++) {
            float absmax = 0;
            for (int j = 0; j < dim; j++) absmax = Math.max(absmax, Math.abs(t[r * dim + j]));
            scales[r] = ParamsFromRange.choose(spec, -absmax, absmax).scale();
            for (int j = 0; j < dim; j++) codes[r * dim + j] = Quantizer.quantize(t[r * dim + j], scales[r], 0, spec.qmin(), spec.qmax());
        }
        String base = gather.name().isEmpty() ? gather.output(0) : gather.name();
        String q = ConstantWeights.addInitializer(g, base + "_table_int8", Tensor.ofBytes(DataType.INT8, QuantizedStorage.pack(codes, DataType.INT8), v, dim));
        String s = ConstantWeights.addInitializer(g, base + "_table_scale", Tensor.of(scales, v));
        String out = g.uniqueName(base + "_table");
        Node dq = Node.of("DequantizeLinear", g.uniqueName(base + "_table_DequantizeLinear"), List.of(q, s), List.of(out));
        dq.attributes().put("axis", 0L);
        g.insertBefore(gather, dq);
        gather.setInput(0, out);
    }

    private static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return t;
    }
}
