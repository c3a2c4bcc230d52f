package dev.quant4j.graph.infer;

import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueType;
import java.util.HashMap;
import java.util.Map;

/** Types and constant values known so far, chained to the enclosing graph's scope for subgraphs. */
final class Scope {
    private final Scope parent;
    final Map<String, ValueType> types = new HashMap<>();
    final Map<String, Tensor> constants = new HashMap<>();

    Scope(Scope parent) { this.parent = parent; }

    ValueType type(String name) {
        ValueType t = types.get(name);
        return t != null || parent == null ? t : parent.type(name);
    }

    Tensor constant(String name) {
        Tensor t = constants.get(name);
        return t != null || parent == null || types.containsKey(name) ? t : parent.constant(name);
    }

    void setType(String name, ValueType t) { types.put(name, t); }

    void setConstant(String name, Tensor t) { constants.put(name, t); }
}
