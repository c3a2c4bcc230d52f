package dev.quant4j.runtime;

/** Makes the {@link Op} for one node; throw {@link OpException} for attributes it cannot run. */
@FunctionalInterface
public interface OpFactory {
    Op create(NodeSetup setup);
}
