package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Dot product of one encoded row with fp32 activations. Implementations: the scalar reference of
 * each {@link BlockFormat} and the Vector API twins in {@link VectorRowDots}, which tests compare
 * against the reference.
 */
interface RowDot {
    float dot(MemorySegment w, long off, float[] x, int xOff, int n);

    /** The fastest dot for {@code type} on this machine. */
    static RowDot best(GgmlType type) {
        RowDot v = VectorRowDots.of(type);
        if (v != null) return v;
        BlockFormat f = type.format();
        return f::dot;
    }
}
