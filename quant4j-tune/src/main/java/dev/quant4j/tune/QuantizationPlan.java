package dev.quant4j.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.PrecisionRule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A precision for each named node; nodes not listed stay fp32. Plans are values: {@link #with}
 * and {@link #without} return new plans, so a search can keep every candidate it tried.
 *
 * <pre>{"nodes": {"/encoder/layer.0/attention/self/query/MatMul": "int8-dynamic", "conv1": "int8-static"}}</pre>
 */
public record QuantizationPlan(Map<String, Precision> nodes) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public QuantizationPlan {
        Map<String, Precision> m = new TreeMap<>();
        if (nodes != null) {
            for (var e : nodes.entrySet()) {
                if (e.getKey() == null || e.getKey().isEmpty())
                    throw new IllegalArgumentException("a plan names its nodes; got an empty node name (give unnamed nodes names first)");
                if (e.getValue() == null) throw new IllegalArgumentException("node '" + e.getKey() + "' has no precision");
                if (e.getValue() != Precision.FP32) m.put(e.getKey(), e.getValue());
            }
        }
        nodes = java.util.Collections.unmodifiableMap(m);
    }

    public static QuantizationPlan empty() { return new QuantizationPlan(Map.of()); }

    /** Every node of {@code names} at {@code p}. */
    public static QuantizationPlan uniform(Collection<String> names, Precision p) {
        Map<String, Precision> m = new LinkedHashMap<>();
        for (String n : names) m.put(n, p);
        return new QuantizationPlan(m);
    }

    /** The precision of {@code node} (fp32 when not listed). */
    public Precision precision(String node) { return nodes.getOrDefault(node, Precision.FP32); }

    public QuantizationPlan with(String node, Precision p) {
        Map<String, Precision> m = new LinkedHashMap<>(nodes);
        m.put(node, p);
        return new QuantizationPlan(m);
    }

    /** This plan with {@code node} back in fp32. */
    public QuantizationPlan without(String node) {
        Map<String, Precision> m = new LinkedHashMap<>(nodes);
        m.remove(node);
        return new QuantizationPlan(m);
    }

    /** One exact-name rule per listed node, default fp32: what the quantizers read. */
    public PrecisionPolicy toPolicy() {
        List<PrecisionRule> rules = new ArrayList<>();
        nodes.forEach((n, p) -> rules.add(PrecisionRule.forNode(n, p)));
        return new PrecisionPolicy(Precision.FP32, rules);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(Map.of("nodes", nodes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static QuantizationPlan parse(String json) {
        try {
            var tree = JSON.readTree(json);
            var n = tree.get("nodes");
            if (n == null || !n.isObject()) throw new IllegalArgumentException("a plan is {\"nodes\": {name: precision, ...}}");
            Map<String, Precision> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), Precision.parse(e.getValue().asText())));
            return new QuantizationPlan(m);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad quantization plan: " + e.getMessage(), e);
        }
    }
}
