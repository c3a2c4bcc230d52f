package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;

/** Finding the constant tensors a pass may quantize: initializers and Constant node outputs. */
public final class ConstantWeights {
    private ConstantWeights() {}

    /** The constant FLOAT32 value {@code name} of {@code g}, or null when it is not a constant float tensor. */
    public static Tensor floatConstant(Graph g, String name) {
        if (name.isEmpty()) return null;
        Tensor t = g.initializers().get(name);
        if (t == null) {
            if (g.inputNames().contains(name)) return null; // an overridable graph input is not a constant
            Node p = g.producer(name);
            if (p != null && p.isOnnxDomain() && p.opType().equals("Constant") && p.attributes().has("value")) t = p.attributes().getTensor("value");
        } else if (g.inputNames().contains(name)) {
            return null;
        }
        return t != null && t.dtype() == DataType.FLOAT32 ? t : null;
    }

    /** Adds {@code t} as an initializer under a fresh name based on {@code base}; returns the name. */
    public static String addInitializer(Graph g, String base, Tensor t) {
        String name = g.uniqueName(base);
        g.initializers().put(name, t);
        return name;
    }
}
