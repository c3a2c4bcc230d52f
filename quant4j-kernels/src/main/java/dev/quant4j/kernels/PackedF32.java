package dev.quant4j.kernels;

/** A fp32 weight matrix B [k×n] in a provider's private layout; see {@link Kernels#packF32}. */
public interface PackedF32 {
    int k();
    int n();
}
