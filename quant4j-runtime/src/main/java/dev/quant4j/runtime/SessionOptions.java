package dev.quant4j.runtime;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;

/**
 * How a {@link Session} executes: the kernels (and so the thread count) and the operator registry.
 */
public record SessionOptions(Kernels kernels, OpRegistry registry) {

    public static SessionOptions defaults() {
        return new SessionOptions(KernelsFactory.get(), OpRegistry.standard());
    }

    public static SessionOptions threads(int threads) {
        return new SessionOptions(KernelsFactory.create(threads), OpRegistry.standard());
    }

    public SessionOptions withKernels(Kernels k) { return new SessionOptions(k, registry); }
}
