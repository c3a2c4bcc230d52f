package dev.quant4j.llm.calib;

import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Activation-aware scaling in the manner of AWQ (Lin et al., 2023): the input channels that carry
 * large activations get their weights scaled up before quantization, s_j = mean|x_j|^α, and the
 * inverse scale is folded into the RMSNorm that feeds the layer, so the float model is unchanged:
 * (W·diag(s))·(diag(1/s)·x) = W·x. α is searched per norm on a grid, minimising the output error
 * Σ_rows e·H·eᵀ with e = W − Q(W·diag(s))·diag(1/s) and H = E[x·xᵀ] from calibration, summed over
 * every consumer of that norm (they must all share s, since the norm output is shared).
 *
 * <p>Layers without an RMSNorm right before them (attn_output, ffn_down) and a classifier tied to
 * the token embedding cannot absorb 1/s this way; they are left unscaled and listed in
 * {@link Result#skipped()}.
 */
public final class AwqScaling {
    private AwqScaling() {}

    public static final double[] DEFAULT_ALPHAS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    /**
     * @param scaled fp32 weights W·diag(s) (row-major) for every scaled matrix
     * @param norms RMSNorm weights with 1/s folded in
     * @param alphas the α chosen for each norm (0 means no scaling helped)
     * @param importance importance weights for the scaled inputs x/s: mean (x_j/s_j)²
     * @param inputScales s per scaled matrix (its input is x/s after folding)
     * @param skipped matrices left unscaled, with the reason
     */
    public record Result(Map<String, float[]> scaled, Map<String, float[]> norms, Map<String, Double> alphas,
                         Map<String, float[]> importance, Map<String, double[]> inputScales, List<String> skipped) {}

    /**
     * @param typeOf the GGML type each matrix will be stored in (after any fallback)
     * @param weighted quantize with importance weights (else round-to-nearest) while searching
     */
    public static Result search(LlamaModel model, CalibrationStats stats, Function<String, GgmlType> typeOf, boolean weighted, double[] alphas) {
        LlamaConfig c = model.config();
        Map<String, float[]> scaled = new LinkedHashMap<>(), norms = new LinkedHashMap<>(), imps = new LinkedHashMap<>();
        Map<String, Double> chosen = new LinkedHashMap<>();
        Map<String, double[]> inputScales = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".";
            groups.put(p + "attn_norm.weight", List.of(p + "attn_q.weight", p + "attn_k.weight", p + "attn_v.weight"));
            groups.put(p + "ffn_norm.weight", List.of(p + "ffn_gate.weight", p + "ffn_up.weight"));
            skipped.add(p + "attn_output.weight: no RMSNorm before it to fold 1/s into");
            skipped.add(p + "ffn_down.weight: no RMSNorm before it to fold 1/s into");
        }
        if (model.tiedClassifier())
            skipped.add("output.weight: tied to token_embd.weight, which would be scaled too");
        else groups.put("output_norm.weight", List.of("output.weight"));

        for (var g : groups.entrySet()) {
            List<String> consumers = g.getValue();
            ActivationStats st = stats.get(consumers.get(0));
            if (st == null || !st.hasHessian()) throw new IllegalArgumentException("AWQ needs Hessian statistics for " + consumers.get(0));
            double[] H = st.hessian();
            double[] meanAbs = st.meanAbs();
            float[] meanSq = st.meanSquare();
            int cols = st.cols();
            double bestErr = Double.POSITIVE_INFINITY, bestAlpha = 0;
            double[] bestS = null;
            for (double alpha : alphas) {
                double[] s = scales(meanAbs, alpha);
                double err = 0;
                for (String name : consumers) err += outputError(model.matrix(name), typeOf.apply(name), s, H, weighted ? importance(meanSq, s) : null);
                if (err < bestErr) { bestErr = err; bestAlpha = alpha; bestS = s; }
            }
            chosen.put(g.getKey(), bestAlpha);
            float[] norm = model.norm(g.getKey()).clone();
            for (int j = 0; j < cols; j++) norm[j] = (float) (norm[j] / bestS[j]);
            norms.put(g.getKey(), norm);
            float[] imp = importance(meanSq, bestS);
            for (String name : consumers) {
                scaled.put(name, scale(model.matrix(name), bestS));
                imps.put(name, imp);
                inputScales.put(name, bestS);
            }
        }
        return new Result(scaled, norms, chosen, imps, inputScales, skipped);
    }

    static double[] scales(double[] meanAbs, double alpha) {
        int n = meanAbs.length;
        double[] s = new double[n];
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            s[j] = Math.pow(Math.max(meanAbs[j], 1e-6), alpha);
            max = Math.max(max, s[j]);
            min = Math.min(min, s[j]);
        }
        double mid = Math.sqrt(max * min); // centre the scales so that weights neither grow nor shrink overall
        for (int j = 0; j < n; j++) s[j] /= mid;
        return s;
    }

    private static float[] importance(float[] meanSq, double[] s) {
        float[] imp = new float[meanSq.length];
        for (int j = 0; j < imp.length; j++) imp[j] = (float) (meanSq[j] / (s[j] * s[j]));
        return imp;
    }

    static float[] scale(WeightMatrix w, double[] s) {
        float[] a = w.toFloat();
        int cols = w.cols();
        for (int i = 0; i < a.length; i++) a[i] = (float) (a[i] * s[i % cols]);
        return a;
    }

    /** Σ_rows e·H·eᵀ, e = W − Q(W·diag(s))·diag(1/s). */
    static double outputError(WeightMatrix w, GgmlType type, double[] s, double[] H, float[] importance) {
        int rows = w.rows(), cols = w.cols();
        float[] orig = w.toFloat();
        float[] q = WeightMatrix.quantize(type, rows, cols, scale(w, s), importance).toFloat();
        double total = 0;
        double[] e = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) e[j] = orig[r * cols + j] - q[r * cols + j] / s[j];
            for (int i = 0; i < cols; i++) {
                if (e[i] == 0) continue;
                double acc = 0;
                for (int j = 0; j < cols; j++) acc += H[i * cols + j] * e[j];
                total += e[i] * acc;
            }
        }
        return total;
    }
}
