package dev.quant4j.graph.infer;

import java.util.HashMap;
import java.util.Map;

/**
 * Operator → {@link ShapeRule}. {@link #defaults()} holds the built-in rules; add or replace rules
 * for new operators with {@link #register}. Keys are {@code "domain:OpType"}, with "" (or
 * "ai.onnx") for the default domain.
 */
public final class ShapeRules {
    private final Map<String, ShapeRule> rules = new HashMap<>();

    public ShapeRules() {}

    /** A fresh registry with every built-in rule. */
    public static ShapeRules defaults() {
        ShapeRules r = new ShapeRules();
        ElementwiseRules.register(r);
        TensorShapeRules.register(r);
        IndexingRules.register(r);
        NeuralRules.register(r);
        LayoutRules.register(r);
        ControlFlowRules.register(r);
        return r;
    }

    public ShapeRules register(String domain, String opType, ShapeRule rule) {
        rules.put(key(domain, opType), rule);
        return this;
    }

    /** Registers a default-domain rule. */
    public ShapeRules register(String opType, ShapeRule rule) {
        return register("", opType, rule);
    }

    public ShapeRule find(String domain, String opType) {
        return rules.get(key(domain, opType));
    }

    private static String key(String domain, String opType) {
        String d = domain == null || domain.equals("ai.onnx") ? "" : domain;
        return d + ":" + opType;
    }
}
