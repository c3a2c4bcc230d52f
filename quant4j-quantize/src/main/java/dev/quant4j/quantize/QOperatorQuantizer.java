package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static quantization in QOperator form: the model is first quantized in QDQ form by {@link
 * StaticQdqQuantizer} (same policy, calibration, weights and INT32 bias), then every quantized node
 * whose pattern is complete is folded into one operator that reads and writes 8-bit tensors:
 *
 * <pre>
 *   QDQ form                                              QOperator form
 *   x_q -DQ-> x ─┐                                        x_q ─┐
 *   W_q -DQ-> W ─┼─ Conv ─> y (-Q-> y_q, if a          W_q ─┼─ QLinearConv ─> y_q ─(DQ-> y, only if a
 *   B_32-DQ-> B ─┘          quantized node reads y)     B_32 ─┘  (x_s, x_zp, w_s, w_zp, y_s, y_zp)   float node reads y)
 *
 *   Conv -> QLinearConv (per-channel w_scale), MatMul (constant B) -> QLinearMatMul (per-column b_scale),
 *   Add -> com.microsoft QLinearAdd (a constant addend is quantized per tensor from its own range)
 * </pre>
 *
 * The output scale of a folded node is the one the QDQ form already uses for that value (the
 * QuantizeLinear in front of its quantized readers), else the calibration range of the output, so
 * {@link #valuesToCalibrate} adds the outputs of the candidate nodes. A quantized node feeding
 * another hands its 8-bit output over directly; a DequantizeLinear is left only where a float node
 * or a graph output reads the value, so no pair dangles. Nodes whose pattern is incomplete (Gemm,
 * a missing range, 16-bit activations, QLinearAdd when contrib operators are not wanted) stay in
 * QDQ form, which every engine also runs, and the report says why.
 */
public final class QOperatorQuantizer {
    private static final Set<String> FOLDED = Set.of("Conv", "MatMul", "Add");

    private QOperatorQuantizer() {}

    /** The QDQ form's values plus the outputs of the nodes that may be folded (their output scale). */
    public static Set<String> valuesToCalibrate(Model model, PrecisionPolicy policy) {
        Set<String> out = new HashSet<>(StaticQdqQuantizer.valuesToCalibrate(model, policy));
        for (Node n : model.graph().nodes())
            if (n.isOnnxDomain() && FOLDED.contains(n.opType()) && policy.decide(n).precision() == Precision.INT8_STATIC) out.add(n.output(0));
        return out;
    }

    /**
     * Quantizes {@code model} in place.
     *
     * @param contribOps fold Add into com.microsoft QLinearAdd (ONNX Runtime has it; engines without it
     *        run the QDQ form of those Adds)
     */
    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Map<String, Observer> calibration,
                                           StaticQdqQuantizer.Options options, boolean contribOps) {
        if (options.activations().bits() != 8)
            throw new IllegalArgumentException("QOperator form needs 8-bit activations (QLinearConv/QLinearMatMul), got " + options.activations());
        StaticQdqQuantizer.apply(model, policy, calibration, options);
        QuantizationReport report = new QuantizationReport("static int8 QOperator");
        Graph g = model.graph();
        boolean usedContrib = false;
        for (Node node : List.copyOf(g.nodes())) {
            if (!node.isOnnxDomain()) continue;
            boolean candidate = FOLDED.contains(node.opType()) || node.opType().equals("Gemm");
            // a float node may read a DequantizeLinear too (the one behind a folded producer): the policy decides
            if (!candidate || policy.decide(node).precision() != Precision.INT8_STATIC || !readsDequantized(g, node)) continue;
            String why = node.opType().equals("Gemm") ? "no QLinear form for Gemm (stays QDQ)"
                    : node.opType().equals("Add") && !contribOps ? "QLinearAdd is a contrib operator and contribOps is off (stays QDQ)" : null;
            Output y = why == null ? outputParams(g, node, calibration, options) : null;
            if (why == null && y == null) why = "no calibration range for output '" + node.output(0) + "' (stays QDQ)";
            if (why == null) why = fold(g, node, y, options);
            if (why != null) { report.kept(node.name(), node.opType(), Precision.INT8_STATIC, why); continue; }
            usedContrib |= node.opType().equals("Add");
            report.quantized(node.name(), node.opType(), Precision.INT8_STATIC, "folded into " + qlinearName(node.opType()));
        }
        if (usedContrib) model.opsets().putIfAbsent("com.microsoft", 1L);
        g.eliminateDeadNodes();
        report.recordIn(model);
        return report;
    }

    private static String qlinearName(String op) {
        return switch (op) { case "Conv" -> "QLinearConv"; case "MatMul" -> "QLinearMatMul"; default -> "com.microsoft QLinearAdd"; };
    }

    /** Whether the QDQ pass quantized {@code n}: its first input (either addend of an Add) comes out of a DequantizeLinear. */
    private static boolean readsDequantized(Graph g, Node n) {
        return dequantizer(g, n.input(0)) != null || (n.opType().equals("Add") && dequantizer(g, n.input(1)) != null);
    }

    /** The DequantizeLinear producing {@code value} with constant scale (and zero-point), or null. */
    private static Node dequantizer(Graph g, String value) {
        Node p = g.producer(value);
        if (p == null || !p.isOnnxDomain() || !p.opType().equals("DequantizeLinear")) return null;
        if (!g.initializers().containsKey(p.input(1)) || (p.hasInput(2) && !g.initializers().containsKey(p.input(2)))) return null;
        return p;
    }

    /** The quantization of a node's output: scale and zero-point initializers, and the QuantizeLinear it replaces (or null). */
    private record Output(String scale, String zeroPoint, Node quantizer) {}

    private static Output outputParams(Graph g, Node node, Map<String, Observer> calibration, StaticQdqQuantizer.Options options) {
        String y = node.output(0);
        for (Node c : g.consumers(y)) {
            if (c.isOnnxDomain() && c.opType().equals("QuantizeLinear") && c.hasInput(2)
                    && g.initializers().containsKey(c.input(1)) && g.initializers().containsKey(c.input(2)))
                return new Output(c.input(1), c.input(2), c);
        }
        Observer o = calibration.get(y);
        if (o == null) return null;
        QuantParams p = o.params(options.activationSpec());
        return new Output(ConstantWeights.addInitializer(g, base(y) + "_scale", Tensor.scalar(p.scale(0))),
                ConstantWeights.addInitializer(g, base(y) + "_zero_point", zeroPoint(p.spec().type(), p.zeroPoint(0))), null);
    }

    private static Tensor zeroPoint(DataType t, int zp) { return Tensor.ofBytes(t, QuantizedStorage.pack(new int[] {zp}, t)); }

    private static String base(String value) { return value.replace('/', '_'); }

    /** Replaces {@code node} by its QLinear form; returns why not when its pattern is incomplete. */
    private static String fold(Graph g, Node node, Output y, StaticQdqQuantizer.Options options) {
        List<String> in = new java.util.ArrayList<>();
        String op = node.opType();
        if (op.equals("Add") && dequantizer(g, node.input(0)) == null) { // Add commutes: the quantized addend goes first
            String a = node.input(0);
            node.setInput(0, node.input(1));
            node.setInput(1, a);
        }
        Node dx = dequantizer(g, node.input(0));
        in.addAll(triple(g, dx));
        if (op.equals("Add")) {
            Node db = dequantizer(g, node.input(1));
            if (db != null) in.addAll(triple(g, db));
            else {
                Tensor c = ConstantWeights.floatConstant(g, node.input(1));
                if (c == null) return "second addend is neither quantized nor constant (stays QDQ)";
                in.addAll(quantizedConstant(g, node.input(1), c, options));
            }
        } else {
            Node dw = dequantizer(g, node.input(1));
            if (dw == null || !g.initializers().containsKey(dw.input(0))) return "weight is not a dequantized constant (stays QDQ)";
            Tensor wScale = g.initializers().get(dw.input(1));
            long axis = dw.attributes().getInt("axis", 1);
            boolean perChannel = wScale.rank() == 1 && wScale.elementCount() > 1;
            if (perChannel && axis != (op.equals("Conv") ? 0 : 1)) return "weight scales along axis " + axis + " (stays QDQ)";
            in.add(dw.input(0));
            in.add(dw.input(1));
            in.add(dw.hasInput(2) ? dw.input(2) : ConstantWeights.addInitializer(g, base(dw.input(0)) + "_zero_point",
                    Tensor.zeros(g.initializers().get(dw.input(0)).dtype(), perChannel ? new long[] {wScale.elementCount()} : new long[0])));
            if (node.hasInput(2)) {
                Node dbias = dequantizer(g, node.input(2));
                if (dbias == null || !g.initializers().containsKey(dbias.input(0))) return "bias is not a dequantized INT32 constant (stays QDQ)";
                if (!biasScaleMatches(g, dx, wScale, g.initializers().get(dbias.input(1)))) return "bias scale is not x_scale * w_scale (stays QDQ)";
            }
        }
        in.add(y.scale());
        in.add(y.zeroPoint());
        if (op.equals("Conv") && node.hasInput(2)) in.add(dequantizer(g, node.input(2)).input(0));
        String yq = y.quantizer() != null ? y.quantizer().output(0) : g.uniqueName(base(node.output(0)) + "_quantized");
        Attributes at = op.equals("Conv") ? node.attributes() : new Attributes();
        Node q = new Node(node.name(), qlinearName(op).replace("com.microsoft ", ""), op.equals("Add") ? "com.microsoft" : "", in, List.of(yq), at);
        Node dq = Node.of("DequantizeLinear", g.uniqueName(base(node.output(0)) + "_DequantizeLinear"),
                List.of(yq, y.scale(), y.zeroPoint()), List.of(node.output(0)));
        if (y.quantizer() != null) g.removeNode(y.quantizer()); // its readers now take the folded node's output
        g.insertBefore(node, q);
        g.insertBefore(node, dq);
        g.removeNode(node);
        return null;
    }

    /** (quantized, scale, zero-point) of a DequantizeLinear's input, with an explicit zero-point. */
    private static List<String> triple(Graph g, Node dq) {
        String zp = dq.hasInput(2) ? dq.input(2) : ConstantWeights.addInitializer(g, base(dq.input(0)) + "_zero_point", Tensor.zeros(DataType.INT8));
        return List.of(dq.input(0), dq.input(1), zp);
    }

    /** A constant addend quantized per tensor over its own range (always including 0). */
    private static List<String> quantizedConstant(Graph g, String name, Tensor c, StaticQdqQuantizer.Options options) {
        float lo = 0, hi = 0;
        for (float v : c.floats()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        QuantParams p = dev.quant4j.core.quant.ParamsFromRange.perTensor(options.activationSpec(), lo, hi);
        int[] codes = dev.quant4j.core.quant.Quantizer.quantize(c.floats(), c.shape(), p);
        DataType t = p.spec().type();
        return List.of(ConstantWeights.addInitializer(g, base(name) + "_quantized", Tensor.ofBytes(t, QuantizedStorage.pack(codes, t), c.shape())),
                ConstantWeights.addInitializer(g, base(name) + "_scale", Tensor.scalar(p.scale(0))),
                ConstantWeights.addInitializer(g, base(name) + "_zero_point", zeroPoint(t, p.zeroPoint(0))));
    }

    /** QLinearConv's bias has the implied scale x_scale * w_scale[c]; the QDQ bias must have been written with it. */
    private static boolean biasScaleMatches(Graph g, Node dx, Tensor wScale, Tensor bScale) {
        float xs = g.initializers().get(dx.input(1)).floats()[0];
        float[] ws = wScale.floats(), bs = bScale.floats();
        if (bs.length != ws.length && bs.length != 1) return false;
        for (int i = 0; i < bs.length; i++) if (bs[i] != xs * ws[ws.length == 1 ? 0 : i]) return false;
        return true;
    }
}
