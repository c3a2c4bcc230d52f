package dev.quant4j.nativekernels;

import dev.quant4j.kernels.PackedI8;
import java.lang.foreign.MemorySegment;

/**
 * An int8 weight matrix in libquant4j's layout for one ISA level (see gemm_i8.c for the byte
 * layout); {@code data} is native memory owned by an automatic arena, freed with this object.
 */
record NativePackedI8(int k, int n, Isa isa, MemorySegment data) implements PackedI8 {}
