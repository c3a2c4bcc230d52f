package dev.quant4j.runtime;

import dev.quant4j.graph.Tensor;

/** Values visible by name to a graph being run: its own, then its enclosing graphs'. */
@FunctionalInterface
public interface Scope {
    /** The value, or null when no enclosing scope defines it. */
    Tensor get(String name);

    Scope EMPTY = name -> null;
}
