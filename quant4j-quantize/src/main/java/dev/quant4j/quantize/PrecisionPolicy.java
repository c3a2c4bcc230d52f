package dev.quant4j.quantize;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.quant4j.graph.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One policy for every mode (design note 4): rules map node names, regular expressions over node
 * names and op types to a precision; nodes no rule selects get {@code defaultPrecision}. The most
 * specific rule wins (name, then pattern, then op type); among equally specific rules the first
 * listed. Every decision carries the rule that made it, for the report.
 *
 * <pre>{"default": "fp32", "rules": [{"opType": "MatMul", "precision": "int4-weight"},
 *                                  {"nameRegex": ".*lm_head.*", "precision": "fp32"}]}</pre>
 *
 * The same policy in YAML (files ending in .yaml or .yml):
 * <pre>
 * default: fp32
 * rules:
 *   - {opType: MatMul, precision: int4-weight}
 *   - nameRegex: ".*lm_head.*"
 *     precision: fp32
 * </pre>
 */
public record PrecisionPolicy(@JsonProperty("default") Precision defaultPrecision, List<PrecisionRule> rules) {

    private static final ObjectMapper JSON = strict(new ObjectMapper());
    private static final ObjectMapper YAML = strict(new ObjectMapper(new YAMLFactory()));

    private static ObjectMapper strict(ObjectMapper m) {
        return m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    public PrecisionPolicy {
        if (defaultPrecision == null) defaultPrecision = Precision.FP32;
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Every node at {@code p}. */
    public static PrecisionPolicy uniform(Precision p) { return new PrecisionPolicy(p, List.of()); }

    /** The precision for {@code n} and why. */
    public Decision decide(Node n) {
        PrecisionRule best = null;
        int bestIndex = -1;
        for (int i = 0; i < rules.size(); i++) {
            PrecisionRule r = rules.get(i);
            if (r.matches(n) && (best == null || r.rank() < best.rank())) { best = r; bestIndex = i; }
        }
        if (best == null) return new Decision(defaultPrecision, "policy default");
        return new Decision(best.precision(), "rule " + bestIndex + " (" + best.describe() + ")");
    }

    public static PrecisionPolicy parse(String json) { return parse(json, JSON); }

    public static PrecisionPolicy parseYaml(String yaml) { return parse(yaml, YAML); }

    private static PrecisionPolicy parse(String text, ObjectMapper mapper) {
        try {
            PrecisionPolicy p = mapper.readValue(text, PrecisionPolicy.class);
            if (p == null) throw new IllegalArgumentException("bad precision policy: the document is empty");
            return p;
        } catch (IOException e) {
            throw new IllegalArgumentException("bad precision policy: " + rootMessage(e), e);
        }
    }

    /** Reads a policy file: YAML when its name ends in .yaml or .yml, JSON otherwise. */
    public static PrecisionPolicy read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        try {
            return yaml ? parseYaml(Files.readString(file)) : parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.toString() : m.lines().findFirst().orElse(m);
    }

    /** A precision and the reason it was chosen. */
    public record Decision(Precision precision, String reason) {}
}
