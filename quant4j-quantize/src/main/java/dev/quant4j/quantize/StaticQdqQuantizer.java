package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.QuantizedStorage;
import dev.quant4j.core.quant.Quantizer;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static quantization in QDQ form. For each Conv, MatMul, Gemm and Add the policy gives
 * {@link Precision#INT8_STATIC}:
 *
 * <pre>
 *   activation x --QuantizeLinear--DequantizeLinear--> node          (per tensor, range from calibration;
 *                                                                       one pair per value, shared)
 *   weight  W_int8 (initializer) --DequantizeLinear(axis)--> node       (symmetric narrow INT8, per channel)
 *   bias    B_int32 (initializer) --DequantizeLinear(axis 0)--> node    (scale = x_scale * w_scale[c], zero-point 0)
 * </pre>
 *
 * Only the quantized node reads the DequantizeLinear outputs, so a node left in float (by the
 * policy or because something is unsupported) keeps its float inputs and no pair dangles.
 * Per-channel DequantizeLinear needs opset 13, 16-bit activations opset 21; the model is raised when lower.
 */
public final class StaticQdqQuantizer {
    /**
     * @param activations UINT8 ("U8S8") or INT8 ("S8S8"); 16-bit types for sensitive models
     * @param reducedRangeWeights 7-bit weights, for U8S8 on x86 without VNNI (see {@link DynamicQuantizer.Options})
     * @param quantizeOutputs     also put a QuantizeLinear/DequantizeLinear pair on each quantized node's output:
     *                            ONNX Runtime fuses DQ→Conv/MatMul/Gemm/Add→Q into its integer kernels
     *                            (QLinearConv, QLinearMatMul, QGemm, QLinearAdd) only when that Q is there; without
     *                            it the node runs in float on dequantized weights, slower than the fp32 model
     * @param modelOutputsFloat   with quantizeOutputs: an output that is (or only moves into) a model output stays float
     *                            (logits and box regressions span ranges wider than any sample's; see {@link #reachesModelOutput})
     */
    public record Options(DataType activations, boolean symmetricActivations, boolean perChannelWeights, boolean reducedRangeWeights,
                          boolean quantizeOutputs, boolean modelOutputsFloat) {
        public Options {
            if (activations != DataType.UINT8 && activations != DataType.INT8 && activations != DataType.UINT16 && activations != DataType.INT16)
                throw new IllegalArgumentException("activations must be UINT8, INT8, UINT16 or INT16, got " + activations);
        }

        /** Inputs only (the outputs stay float). */
        public Options(DataType activations, boolean symmetricActivations, boolean perChannelWeights, boolean reducedRangeWeights) {
            this(activations, symmetricActivations, perChannelWeights, reducedRangeWeights, false, true);
        }

        public Options withQuantizedOutputs(boolean on) {
            return new Options(activations, symmetricActivations, perChannelWeights, reducedRangeWeights, on, modelOutputsFloat);
        }

        /** For a node timed alone, whose output is a model output only there. */
        public Options withModelOutputsFloat(boolean on) {
            return new Options(activations, symmetricActivations, perChannelWeights, reducedRangeWeights, quantizeOutputs, on);
        }

        /** UINT8 affine activations, per-channel 7-bit weights. */
        public static Options u8s8() { return new Options(DataType.UINT8, false, true, true); }

        /** INT8 symmetric activations, per-channel weights. */
        public static Options s8s8() { return new Options(DataType.INT8, true, true, false); }

        QuantSpec activationSpec() { return symmetricActivations ? QuantSpec.symmetric(activations) : QuantSpec.affine(activations); }
    }

    private static final Set<String> OPS = Set.of("Conv", "MatMul", "Gemm", "Add");

    private StaticQdqQuantizer() {}

    /**
     * The values whose ranges {@link #apply} needs: the float activation inputs of the candidate nodes,
     * and their outputs (needed when {@link Options#quantizeOutputs()}; observing them costs little).
     */
    public static Set<String> valuesToCalibrate(Model model, PrecisionPolicy policy) {
        Graph g = model.graph();
        Set<String> out = new HashSet<>();
        for (Node n : g.nodes()) {
            if (!n.isOnnxDomain() || !OPS.contains(n.opType()) || policy.decide(n).precision() != Precision.INT8_STATIC) continue;
            for (int i : activationInputs(n)) if (n.hasInput(i) && ConstantWeights.floatConstant(g, n.input(i)) == null) out.add(n.input(i));
            if (n.outputs().size() == 1) out.add(n.output(0));
        }
        return out;
    }

    private static int[] activationInputs(Node n) { return n.opType().equals("Add") ? new int[] {0, 1} : new int[] {0}; }

    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Map<String, Observer> calibration, Options options) {
        QuantizationReport report = new QuantizationReport("static int8 QDQ");
        Graph g = model.graph();
        long opset = options.activations().bits() == 16 ? 21 : 13; // per-axis DequantizeLinear: 13; 16-bit QuantizeLinear: 21
        if (model.onnxOpset() < opset) OpsetUpgrade.to(model, opset);
        QuantSpec aSpec = options.activationSpec();
        Map<String, String> dequantized = new HashMap<>();   // activation -> its DQ output (one pair per value)
        Map<String, QuantParams> dqParams = new HashMap<>(); // DQ output (an input pair's or a quantized output's) -> its parameters
        for (Node node : List.copyOf(g.nodes())) {
            if (!node.isOnnxDomain() || !OPS.contains(node.opType())) continue;
            PrecisionPolicy.Decision d = policy.decide(node);
            if (d.precision() != Precision.INT8_STATIC) { report.kept(node.name(), node.opType(), d.precision(), d.reason()); continue; }
            String why = unsupported(g, node, calibration);
            if (why != null) { report.kept(node.name(), node.opType(), d.precision(), d.reason() + "; " + why); continue; }
            for (int i : activationInputs(node)) {
                String x = node.input(i);
                if (ConstantWeights.floatConstant(g, x) != null) continue; // a constant addend stays float
                if (dqParams.containsKey(x)) continue; // already a DQ output (a quantized producer's)
                node.setInput(i, dequantized.computeIfAbsent(x, v -> {
                    QuantParams p = calibration.get(v).params(aSpec);
                    String dq = g.uniqueName(v.replace('/', '_') + "_dequantized");
                    for (Node n : qdqPair(g, v, dq, p)) g.insertBefore(node, n);
                    dqParams.put(dq, p);
                    return dq;
                }));
            }
            if (!node.opType().equals("Add")) quantizeWeightAndBias(g, node, dqParams.get(node.input(0)), options);
            String outputs = "";
            if (options.quantizeOutputs()) outputs = quantizeOutput(g, node, calibration, aSpec, dqParams, options.modelOutputsFloat());
            report.quantized(node.name(), node.opType(), d.precision(), d.reason() + "; activations " + options.activations()
                    + (options.symmetricActivations() ? " symmetric" : " affine") + ", weights INT8 per " + (options.perChannelWeights() ? "channel" : "tensor")
                    + outputs);
        }
        g.eliminateDeadNodes();
        report.recordIn(model);
        return report;
    }

    /**
     * {@code node → y} becomes {@code node → y_float → Q → DQ → y}: every reader of y (and a graph
     * output named y) now sees the dequantized value, and a quantized reader uses that DQ as its own.
     * @return what the report says about the output
     */
    private static String quantizeOutput(Graph g, Node node, Map<String, Observer> calibration, QuantSpec aSpec,
                                         Map<String, QuantParams> dqParams, boolean modelOutputsFloat) {
        if (node.outputs().size() != 1) return "; output left float (" + node.outputs().size() + " outputs)";
        String y = node.output(0);
        if (modelOutputsFloat && reachesModelOutput(g, y)) return "; output left float (it becomes a model output: the reader's values keep full precision)";
        Observer range = calibration.get(y);
        if (range == null) return "; output left float (no calibration range for '" + y + "')";
        QuantParams p = range.params(aSpec);
        String yFloat = g.uniqueName(y + "_float");
        node.setOutput(0, yFloat);
        List<Node> pair = qdqPair(g, yFloat, y, p);
        g.insertAfter(node, pair.get(1));
        g.insertAfter(node, pair.get(0));
        dqParams.put(y, p);
        return "; output quantized";
    }

    private static final Set<String> LAYOUT = Set.of("Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Concat");

    /**
     * Whether {@code v} is a graph output or reaches one through data movement only. Such values
     * (logits, box regressions) often span ranges far wider than one sample's, so 8 bits on them
     * cost the most accuracy for one node's speed.
     */
    public static boolean reachesModelOutput(Graph g, String v) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(v));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String x = todo.pop();
            if (!seen.add(x)) continue;
            if (g.isGraphOutput(x)) return true;
            for (Node c : g.consumers(x)) if (c.isOnnxDomain() && LAYOUT.contains(c.opType())) todo.addAll(c.outputs());
        }
        return false;
    }

    private static String unsupported(Graph g, Node node, Map<String, Observer> calibration) {
        for (int i : activationInputs(node)) {
            String x = node.input(i);
            if (ConstantWeights.floatConstant(g, x) == null && !calibration.containsKey(x)) return "no calibration range for input '" + x + "'";
        }
        if (node.opType().equals("Add")) {
            if (ConstantWeights.floatConstant(g, node.input(0)) != null && ConstantWeights.floatConstant(g, node.input(1)) != null) return "constant Add";
            return null;
        }
        Tensor w = ConstantWeights.floatConstant(g, node.input(1));
        if (w == null) return "weight is not a constant float tensor";
        if (node.opType().equals("MatMul") && w.rank() != 2) return "MatMul weight of rank " + w.rank();
        if (node.opType().equals("Gemm") && node.attributes().getInt("transA", 0) != 0) return "Gemm with transA";
        if (node.hasInput(2) && ConstantWeights.floatConstant(g, node.input(2)) == null) return "bias is not constant";
        return null;
    }

    /** QuantizeLinear(x) → DequantizeLinear → {@code out}, per tensor, with their scale and zero-point initializers; not yet in the graph. */
    private static List<Node> qdqPair(Graph g, String x, String out, QuantParams p) {
        String base = x.replace('/', '_');
        String scale = ConstantWeights.addInitializer(g, base + "_scale", Tensor.scalar(p.scale(0)));
        String zp = ConstantWeights.addInitializer(g, base + "_zero_point",
                Tensor.ofBytes(p.spec().type(), QuantizedStorage.pack(new int[] {p.zeroPoint(0)}, p.spec().type())));
        String q = g.uniqueName(base + "_quantized");
        return List.of(Node.of("QuantizeLinear", g.uniqueName(base + "_QuantizeLinear"), List.of(x, scale, zp), List.of(q)),
                Node.of("DequantizeLinear", g.uniqueName(base + "_DequantizeLinear"), List.of(q, scale, zp), List.of(out)));
    }

    private static void quantizeWeightAndBias(Graph g, Node node, QuantParams a, Options options) {
        boolean perChannel = options.perChannelWeights();
        Tensor w = ConstantWeights.floatConstant(g, node.input(1));
        long[] shape = w.shape();
        boolean gemmT = node.opType().equals("Gemm") && node.attributes().getInt("transB", 0) != 0;
        int axis = node.opType().equals("Conv") || gemmT ? 0 : 1;     // the output-channel axis of the weight
        QuantSpec spec = QuantSpec.symmetric(DataType.INT8).withNarrowRange();
        if (options.reducedRangeWeights()) spec = spec.withReducedRange();
        float[] wf = w.floats();
        QuantParams p;
        if (perChannel) {
            int c = (int) shape[axis];
            float[] mins = new float[c], maxs = new float[c];
            long inner = 1;
            for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
            for (int i = 0; i < wf.length; i++) {
                int ch = (int) ((i / inner) % c);
                mins[ch] = Math.min(mins[ch], wf[i]);
                maxs[ch] = Math.max(maxs[ch], wf[i]);
            }
            p = ParamsFromRange.perChannel(spec, axis, mins, maxs);
        } else {
            float lo = 0, hi = 0;
            for (float v : wf) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            p = ParamsFromRange.perTensor(spec, lo, hi);
        }
        int[] codes = Quantizer.quantize(wf, shape, p);
        String base = node.name().isEmpty() ? node.output(0) : node.name();
        String wq = ConstantWeights.addInitializer(g, base + "_W_int8", Tensor.ofBytes(DataType.INT8, QuantizedStorage.pack(codes, DataType.INT8), shape));
        // The weight's zero-point is written although it is 0: ONNX Runtime's QGemm fusion refuses a
        // per-channel weight whose scale has no zero-point of the same shape.
        node.setInput(1, insertDequantize(g, node, base + "_W", wq, p.scales(), perChannel ? axis : -1, DataType.INT8));
        if (!node.hasInput(2)) return;
        Tensor b = ConstantWeights.floatConstant(g, node.input(2));
        float[] bf = b.floats();
        float[] bScale = new float[perChannel ? bf.length : 1];
        int[] bq = new int[bf.length];
        for (int i = 0; i < bf.length; i++) {
            float s = a.scale(0) * p.scale(perChannel ? i : 0);
            if (perChannel || i == 0) bScale[perChannel ? i : 0] = s;
            bq[i] = (int) Math.clamp(Math.rint((double) bf[i] / s), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        String bqName = ConstantWeights.addInitializer(g, base + "_B_int32", Tensor.ofInts(bq, b.shape()));
        node.setInput(2, insertDequantize(g, node, base + "_B", bqName, bScale, perChannel ? 0 : -1, null));
    }

    /** @param zeroPointType the type of an explicit all-zero zero-point (same shape as the scale), or null for none */
    private static String insertDequantize(Graph g, Node before, String base, String q, float[] scales, int axis, DataType zeroPointType) {
        String scale = ConstantWeights.addInitializer(g, base + "_scale", axis < 0 ? Tensor.scalar(scales[0]) : Tensor.of(scales, scales.length));
        List<String> inputs = List.of(q, scale);
        if (zeroPointType != null) {
            int n = axis < 0 ? 1 : scales.length;
            byte[] zeros = QuantizedStorage.pack(new int[n], zeroPointType);
            String zp = ConstantWeights.addInitializer(g, base + "_zero_point",
                    axis < 0 ? Tensor.ofBytes(zeroPointType, zeros) : Tensor.ofBytes(zeroPointType, zeros, n));
            inputs = List.of(q, scale, zp);
        }
        String out = g.uniqueName(base + "_dequantized");
        Node dq = Node.of("DequantizeLinear", g.uniqueName(base + "_DequantizeLinear"), inputs, List.of(out));
        if (axis >= 0) dq.attributes().put("axis", (long) axis);
        g.insertBefore(before, dq);
        return out;
    }
}
