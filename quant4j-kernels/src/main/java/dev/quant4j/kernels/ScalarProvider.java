package dev.quant4j.kernels;

/** Provides {@link ScalarKernels}, available everywhere. */
public final class ScalarProvider implements KernelsProvider {
    @Override public String name() { return "scalar"; }
    @Override public int priority() { return 0; }
    @Override public boolean available() { return true; }
    @Override public Kernels create(int threads) { return new ScalarKernels(); }
}
