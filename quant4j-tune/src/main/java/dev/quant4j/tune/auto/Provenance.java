package dev.quant4j.tune.auto;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was done to a model, carried inside it (ModelProto metadata_props, key {@link #KEY}): per
 * tensor what became of it and why (the policy decision or the search step), the calibration
 * data's SHA-256, the tool's version and settings, and the measured deltas (metric with interval,
 * bytes, latency before and after).
 */
public record Provenance(String tool, String toolVersion, Map<String, String> settings, Calibration calibration,
                         List<TensorAction> tensors, Deltas deltas) {
    public static final String KEY = "quant4j.provenance";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Provenance {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        tensors = List.copyOf(tensors);
    }

    /** The data the activation ranges came from. */
    public record Calibration(String sha256, int samples, String source) {}

    /** One tensor of the float model: what it became, and why. */
    public record TensorAction(String tensor, String node, Precision precision, String action, String reason) {}

    /**
     * Measured on held-out data and on one engine: the metric before and after with intervals, the
     * paired drop, bytes on disk, and latency before and after timed side by side.
     */
    public record Deltas(String metric, MetricResult reference, MetricResult candidate, MetricResult drop,
                         long bytesBefore, long bytesAfter, String engine, Latency latencyBefore, Latency latencyAfter, double latencyRatio) {}

    /** A record naming this quant4j build as the tool. */
    public static Provenance of(Map<String, String> settings, Calibration calibration, List<TensorAction> tensors, Deltas deltas) {
        return new Provenance("quant4j", ToolVersion.current(), settings, calibration, tensors, deltas);
    }

    /** Writes this record into {@code model}'s metadata (replacing an earlier one). */
    public void writeTo(Model model) { model.metadata().put(KEY, toJson()); }

    /** The record a model carries, if any. */
    public static Optional<Provenance> readFrom(Model model) {
        String json = model.metadata().get(KEY);
        if (json == null) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(json, Provenance.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata '" + KEY + "' is not a quant4j provenance record: " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Per constant input of each quantized node of {@code plan}: kept as it was, or replaced by the
     * new tensors of {@code after} (those {@code before} lacks) whose names derive from the tensor or
     * the node, as the quantizers name them.
     *
     * @param reasons per node, why it got its precision (search step or policy rule)
     */
    public static List<TensorAction> tensorActions(Model before, Model after, Map<String, Precision> plan, Map<String, String> reasons) {
        Map<String, Tensor> old = before.graph().initializers(), now = after.graph().initializers();
        List<String> added = new ArrayList<>(now.keySet().stream().filter(k -> !old.containsKey(k)).toList());
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Node n : after.graph().nodes()) used.addAll(n.inputs());
        List<TensorAction> out = new ArrayList<>();
        for (var e : plan.entrySet()) {
            Node n = before.graph().node(e.getKey());
            if (n == null) throw new IllegalArgumentException("plan names node '" + e.getKey() + "', which the float model lacks");
            String why = reasons.getOrDefault(e.getKey(), "");
            String base = (n.name().isEmpty() ? n.output(0) : n.name()).replace('/', '_');
            for (String t : n.inputs()) {
                Tensor w = constant(before, t);
                if (w == null) continue;
                String was = describe(t, w);
                Tensor still = constant(after, t);
                if (still != null && used.contains(t) && (still == w || still.contentEquals(w))) {
                    out.add(new TensorAction(t, n.name(), e.getValue(), "kept " + was, why));
                    continue;
                }
                String prefix = t.replace('/', '_');
                List<String> mine = added.stream().filter(k -> k.startsWith(prefix + "_") || k.startsWith(base + "_")).toList();
                added.removeAll(mine);
                String became = mine.isEmpty() ? "removed (no longer read)" : "replaced by " + String.join(" + ", mine.stream().map(k -> describe(k, now.get(k))).toList());
                out.add(new TensorAction(t, n.name(), e.getValue(), was + " -> " + became, why));
            }
        }
        return out;
    }

    /** The constant value {@code name} holds: an initializer that is not an overridable input, or a Constant node's value. */
    private static Tensor constant(Model m, String name) {
        if (name.isEmpty()) return null;
        dev.quant4j.graph.Graph g = m.graph();
        Tensor t = g.initializers().get(name);
        if (t != null) return g.inputNames().contains(name) ? null : t;
        Node p = g.producer(name);
        return p != null && p.isOnnxDomain() && p.opType().equals("Constant") && p.attributes().has("value") ? p.attributes().getTensor("value") : null;
    }

    private static String describe(String name, Tensor t) {
        return "'" + name + "' " + t.dtype() + Arrays.toString(t.shape());
    }

    /** Settings as strings, in the order given. */
    public static Map<String, String> settings(Object... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("settings come in key, value pairs");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
        return m;
    }
}
