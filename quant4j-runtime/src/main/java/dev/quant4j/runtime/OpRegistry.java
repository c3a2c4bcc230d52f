package dev.quant4j.runtime;

import dev.quant4j.graph.Node;
import dev.quant4j.runtime.ops.StandardOps;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which operators the runtime can execute: a map from (domain, op type) to the factory that
 * prepares such a node. {@link #standard()} holds every operator quant4j implements.
 */
public final class OpRegistry {
    public static final String MS_DOMAIN = "com.microsoft";

    private final Map<String, OpFactory> factories = new TreeMap<>();

    public OpRegistry register(String domain, String opType, OpFactory factory) {
        factories.put(key(domain, opType), factory);
        return this;
    }

    /** Registers an operator of the default ONNX domain. */
    public OpRegistry register(String opType, OpFactory factory) {
        return register("", opType, factory);
    }

    public boolean supports(String domain, String opType) {
        return factories.containsKey(key(domain, opType));
    }

    /** The factory for {@code node}; throws naming the node when the operator is not implemented. */
    public OpFactory find(Node node) {
        OpFactory f = factories.get(key(node.isOnnxDomain() ? "" : node.domain(), node.opType()));
        if (f == null) throw new OpException(node, "operator not supported by the quant4j runtime");
        return f;
    }

    /** Claimed operators as "OpType" (default domain) or "domain.OpType". */
    public Set<String> claimed() {
        return Collections.unmodifiableSet(factories.keySet());
    }

    private static String key(String domain, String opType) {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + "." + opType;
    }

    private static final OpRegistry STANDARD = StandardOps.registerAll(new OpRegistry());

    /** Every operator quant4j implements (shared; do not register into it). */
    public static OpRegistry standard() { return STANDARD; }
}
