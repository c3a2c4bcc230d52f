package dev.quant4j.kernels;

/** A signed 8-bit weight matrix B [k×n] with zero-points, packed by one provider; see {@link Kernels#packI8}. */
public interface PackedI8 {
    int k();
    int n();
}
