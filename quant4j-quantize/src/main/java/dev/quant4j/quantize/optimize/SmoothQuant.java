package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.ConstantWeights;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * SmoothQuant (Xiao et al., 2022), written from the paper: per input channel j of the MatMuls
 * reading an activation X[.., K] with constant weights W[K][N],
 *
 * <pre>
 *   s_j = max|X_j|^α / max|W_j,:|^(1-α)          (max over calibration rows; over every such MatMul's row j)
 *   X' = X · diag(1/s)      W' = diag(s) · W      X'·W' = X·W  exactly in real arithmetic
 * </pre>
 *
 * moving the quantization difficulty of outlier activation channels into the weights. The factor
 * 1/s is folded into the constants of the producer chain when X feeds only these MatMuls
 * (X = Mul(y, c): c/s; X = Add(y, b) with y = Mul(z, γ): b/s and γ/s, the affine part of a
 * LayerNorm); otherwise (a post-LN transformer's LayerNorm output also feeds the residual Add) one
 * Mul by 1/s is inserted in front of the MatMuls, shared by them, and the residual path is untouched.
 */
public final class SmoothQuant {
    private SmoothQuant() {}

    /** Activation value → K, for every value read by a MatMul with a constant float weight [K][N] that {@code policy} does not keep fp32. */
    public static Map<String, Integer> inputs(Model model, PrecisionPolicy policy) {
        Graph g = model.graph();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (!isCandidate(g, n) || policy.decide(n).precision() == Precision.FP32) continue;
            out.put(n.input(0), Math.toIntExact(ConstantWeights.floatConstant(g, n.input(1)).dim(0)));
        }
        return out;
    }

    private static boolean isCandidate(Graph g, Node n) {
        if (!n.isOnnxDomain() || !n.opType().equals("MatMul")) return false;
        Tensor w = ConstantWeights.floatConstant(g, n.input(1));
        return w != null && w.rank() == 2 && ConstantWeights.floatConstant(g, n.input(0)) == null;
    }

    /** Per-channel max |x| of every value in {@code inputs} over the calibration batches, on the float model. */
    public static Map<String, float[]> calibrate(Model model, Map<String, Integer> inputs, Iterable<Map<String, Tensor>> batches,
                                                 Function<Map<String, Tensor>, boolean[]> rowMask) {
        Map<String, ChannelAbsMax> stats = new LinkedHashMap<>();
        inputs.forEach((v, k) -> stats.put(v, new ChannelAbsMax(k)));
        try (LayerInputs in = new LayerInputs(model, stats.keySet(), rowMask)) {
            for (Map<String, Tensor> feeds : batches) in.observe(feeds, (v, t, mask) -> stats.get(v).add(t.floats(), mask));
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        stats.forEach((v, s) -> out.put(v, s.values()));
        return out;
    }

    /**
     * Smooths, in place, the MatMuls reading each value of {@code activationMax} (per-channel max |x|)
     * that {@code policy} does not keep fp32; returns one entry per smoothed value.
     */
    public static QuantizationReport apply(Model model, PrecisionPolicy policy, Map<String, float[]> activationMax, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        QuantizationReport report = new QuantizationReport("smoothquant alpha " + alpha);
        Graph g = model.graph();
        for (var e : activationMax.entrySet()) {
            String x = e.getKey();
            float[] amax = e.getValue();
            List<Node> mms = new ArrayList<>();
            for (Node n : g.consumers(x))
                if (isCandidate(g, n) && n.input(0).equals(x) && policy.decide(n).precision() != Precision.FP32) mms.add(n);
            if (mms.isEmpty()) continue;
            int k = amax.length;
            float[] wmax = new float[k];
            for (Node n : mms) {
                Tensor w = ConstantWeights.floatConstant(g, n.input(1));
                if (w.dim(0) != k) throw new IllegalArgumentException(n.label() + ": weight has K=" + w.dim(0) + ", activation '" + x + "' has " + k + " channels");
                float[] wf = w.floats();
                int cols = (int) w.dim(1);
                for (int j = 0; j < k; j++) for (int c = 0; c < cols; c++) wmax[j] = Math.max(wmax[j], Math.abs(wf[j * cols + c]));
            }
            float[] s = new float[k], inv = new float[k];
            for (int j = 0; j < k; j++) {
                double v = amax[j] > 0 && wmax[j] > 0 ? Math.pow(amax[j], alpha) / Math.pow(wmax[j], 1 - alpha) : 1;
                s[j] = (float) Math.clamp(v, 1e-5, 1e5);
                inv[j] = 1 / s[j];
            }
            for (Node n : mms) {
                Tensor w = ConstantWeights.floatConstant(g, n.input(1));
                float[] wf = w.floats();
                int cols = (int) w.dim(1);
                for (int j = 0; j < k; j++) for (int c = 0; c < cols; c++) wf[j * cols + c] *= s[j];
                Constants.replace(g, n, 1, Tensor.of(wf, k, cols));
            }
            String how = InverseScaleFold.tryFold(g, x, mms, inv) ? "1/s folded into " + g.producer(x).label()
                    : "Mul by 1/s inserted (value also read elsewhere or producer not foldable)";
            if (how.startsWith("Mul")) insertScale(g, x, mms, inv);
            for (Node n : mms) report.quantized(n.name(), n.opType(), policy.decide(n).precision(), "smoothed; " + how);
        }
        report.recordIn(model);
        return report;
    }

    private static void insertScale(Graph g, String x, List<Node> readers, float[] inv) {
        String base = x.replace('/', '_');
        String c = ConstantWeights.addInitializer(g, base + "_smooth_inverse_scale", Tensor.of(inv, inv.length));
        String out = g.uniqueName(base + "_smoothed");
        Node mul = Node.of("Mul", g.uniqueName(base + "_smooth_Mul"), List.of(x, c), List.of(out));
        Node first = readers.getFirst();
        for (Node n : g.nodes()) if (readers.contains(n)) { first = n; break; }
        g.insertBefore(first, mul);
        for (Node n : readers) n.setInput(0, out);
    }
}
