package dev.quant4j.kernels;

/**
 * Service-provider interface: one way of making {@link Kernels}. Providers are found with
 * {@link java.util.ServiceLoader} (file {@code META-INF/services/dev.quant4j.kernels.KernelsProvider}),
 * so a module such as quant4j-native registers itself just by being on the class path.
 * {@link KernelsFactory} picks the available provider with the highest priority, unless the system
 * property {@code quant4j.kernels} names one.
 */
public interface KernelsProvider {

    /** Short name used by {@code -Dquant4j.kernels=...}: "scalar", "panama", "native". */
    String name();

    /** Higher wins when several are available (scalar 0, panama 100). */
    int priority();

    /** Whether this provider can run here (CPU features, modules, native library). Must not throw. */
    boolean available();

    /** Why the provider is not available, for the start-up log; empty when it is. */
    default String unavailableReason() { return ""; }

    /** A kernels instance that uses up to {@code threads} threads per call. */
    Kernels create(int threads);
}
