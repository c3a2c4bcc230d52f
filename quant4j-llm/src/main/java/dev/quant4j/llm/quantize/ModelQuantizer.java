package dev.quant4j.llm.quantize;

import dev.quant4j.llm.calib.ActivationStats;
import dev.quant4j.llm.calib.AwqScaling;
import dev.quant4j.llm.calib.CalibrationStats;
import dev.quant4j.llm.calib.Gptq;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quantizes every matrix of a {@link LlamaModel} by rule, and records each decision. Nothing
 * falls back silently: a row length the type's blocks do not divide, a method without the
 * statistics it needs, and a method the type does not support each leave a
 * {@link TensorDecision#fallback()}.
 *
 * <p>Type fallbacks follow llama.cpp's: Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0 when the row length
 * is not a multiple of 256, and F16 when it is not a multiple of 32 either.
 */
public final class ModelQuantizer {
    private ModelQuantizer() {}

    /**
     * @param model the fp32 (or any) model
     * @param stats calibration statistics, with the Hessian for GPTQ and AWQ; null for RTN only
     * @param awqSkipped matrices AWQ could not scale, with the reason (empty without AWQ)
     */
    public record Result(LlamaModel model, List<TensorDecision> decisions, List<String> awqSkipped, Map<String, Double> awqAlphas) {
        /** Bits per weight over all matrices (a tied classifier counted once), scales included. */
        public double bitsPerWeight() {
            long bits = 0, n = 0;
            for (TensorDecision d : decisions) {
                bits += 8 * model.matrix(d.tensor()).byteSize();
                n += d.weights();
            }
            return (double) bits / n;
        }

        public List<TensorDecision> fallbacks() {
            return decisions.stream().filter(d -> d.fallback() != null).toList();
        }
    }

    public static Result quantize(LlamaModel model, CalibrationStats stats, QuantizeOptions o) {
        Map<String, TensorDecision> plan = new LinkedHashMap<>();
        boolean tied = model.tiedClassifier();
        for (var e : model.matrices().entrySet()) {
            if (tied && e.getKey().equals("output.weight")) continue; // written once, as token_embd.weight
            plan.put(e.getKey(), decide(e.getKey(), e.getValue(), stats, o, tied));
        }
        Map<String, float[]> source = new LinkedHashMap<>();
        Map<String, float[]> importance = new LinkedHashMap<>();
        Map<String, double[]> inputScale = new LinkedHashMap<>();
        Map<String, float[]> norms = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Double> alphas = new LinkedHashMap<>();
        if (o.awq()) {
            requireHessian(stats, "AWQ scaling");
            AwqScaling.Result r = AwqScaling.search(model, stats, n -> plan.get(n).type(), o.method() != Method.RTN, AwqScaling.DEFAULT_ALPHAS);
            source.putAll(r.scaled());
            importance.putAll(r.importance());
            inputScale.putAll(r.inputScales());
            norms.putAll(r.norms());
            skipped.addAll(r.skipped());
            alphas.putAll(r.alphas());
        }
        Map<String, WeightMatrix> out = new LinkedHashMap<>();
        for (TensorDecision d : plan.values()) {
            WeightMatrix w = model.matrix(d.tensor());
            float[] x = source.containsKey(d.tensor()) ? source.get(d.tensor()) : w.toFloat();
            ActivationStats st = stats == null ? null : stats.get(inputName(d.tensor(), tied));
            WeightMatrix q = switch (d.method()) {
                case RTN -> WeightMatrix.quantize(d.type(), d.rows(), d.cols(), x, null);
                case IMPORTANCE -> WeightMatrix.quantize(d.type(), d.rows(), d.cols(), x,
                        importance.containsKey(d.tensor()) ? importance.get(d.tensor()) : st.meanSquare());
                case GPTQ -> Gptq.quantize(d.type(), d.rows(), d.cols(), x, scaledHessian(st.hessian(), inputScale.get(d.tensor())), o.gptqDamp());
            };
            out.put(d.tensor(), q);
        }
        if (tied) out.put("output.weight", out.get("token_embd.weight"));
        return new Result(model.with(out, norms), List.copyOf(plan.values()), skipped, alphas);
    }

    /** The Hessian of the scaled input x/s: H[i,j] / (s_i·s_j). */
    private static double[] scaledHessian(double[] h, double[] s) {
        if (s == null) return h;
        int n = s.length;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i * n + j] /= s[i] * s[j];
        return h;
    }

    /** The statistics key of a matrix's input: a tied embedding is calibrated as the classifier it also is. */
    private static String inputName(String tensor, boolean tied) {
        return tied && tensor.equals("token_embd.weight") ? "output.weight" : tensor;
    }

    private static void requireHessian(CalibrationStats stats, String what) {
        if (stats == null || stats.all().isEmpty() || !stats.all().values().iterator().next().hasHessian())
            throw new IllegalArgumentException(what + " needs calibration statistics gathered with the Hessian");
    }

    static TensorDecision decide(String name, WeightMatrix w, CalibrationStats stats, QuantizeOptions o, boolean tied) {
        GgmlType requested = null;
        String reason = null;
        for (TypeRule r : o.rules())
            if (r.matches(name) || (tied && name.equals("token_embd.weight") && r.matches("output.weight"))) {
                requested = r.type();
                reason = "rule " + r;
                break;
            }
        boolean embeddingOrOutput = name.equals("token_embd.weight") || name.equals("output.weight");
        if (requested == null && o.keepEmbeddingsHigher() && embeddingOrOutput && o.embeddingsType().bitsPerWeight() > o.defaultType().bitsPerWeight()) {
            requested = o.embeddingsType();
            reason = "embeddings/output kept higher";
        }
        if (requested == null) {
            requested = o.defaultType();
            reason = "default";
        }
        List<String> why = new ArrayList<>();
        GgmlType type = requested;
        int cols = w.cols();
        if (cols % type.blockSize() != 0) {
            GgmlType next = switch (type) { case Q4_K -> GgmlType.Q5_0; case Q5_K -> GgmlType.Q5_1; case Q6_K -> GgmlType.Q8_0; default -> type; };
            if (cols % next.blockSize() != 0) next = GgmlType.F16;
            why.add(cols + " columns not a multiple of " + type + "'s block of " + type.blockSize() + " -> " + next);
            type = next;
        }
        Method m = o.method();
        String statsKey = inputName(name, tied);
        ActivationStats st = stats == null ? null : stats.get(statsKey);
        boolean plain = type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.BF16;
        if (m != Method.RTN && plain) {
            why.add(type + " is stored as is: " + m + " does not apply");
            m = Method.RTN;
        } else if (m == Method.GPTQ && !Gptq.supports(type)) {
            why.add("GPTQ has no grid for " + type + " -> IMPORTANCE");
            m = Method.IMPORTANCE;
        }
        if (m == Method.GPTQ && (st == null || !st.hasHessian())) {
            why.add("no Hessian for the input of " + name + " -> " + (st == null ? "RTN" : "IMPORTANCE"));
            m = st == null ? Method.RTN : Method.IMPORTANCE;
        }
        if (m == Method.IMPORTANCE && st == null) {
            why.add("no activation statistics for the input of " + name + " -> RTN");
            m = Method.RTN;
        }
        return new TensorDecision(name, w.rows(), cols, requested, type, m, reason, why.isEmpty() ? null : String.join("; ", why));
    }
}
