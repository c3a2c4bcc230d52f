package dev.quant4j.llm.quant;

import dev.quant4j.nativekernels.GgmlDots;
import java.lang.foreign.MemorySegment;

/**
 * The quantized-activation row dots of {@link WeightMatrix} in C (quant4j-native's
 * {@link GgmlDots}) for Q4_0, Q8_0 and Q4_K: AVX2 has the byte multiply-add (vpmaddubsw) that the
 * Vector API lacks, ~5 instructions per 32 weights instead of ~12 (see {@link Q4Q8Dots}), which
 * is what lets 4-bit decoding run at the memory's speed. Same inputs ({@link Q8Activations},
 * not re-quantized), the same integer sums per group; results differ from {@link Q4Q8Dots} by
 * float summation order only.
 *
 * <p>Used when libquant4j.so loads on this machine and {@code -Dquant4j.llm.native} is not
 * {@code false}; the property is read on every call, so a benchmark can time both paths in one
 * JVM. Which path serves is logged once.
 */
final class NativeDots {
    private NativeDots() {}

    private static final boolean AVAILABLE = GgmlDots.available();

    static {
        System.getLogger("dev.quant4j.llm").log(System.Logger.Level.INFO, AVAILABLE
                ? "quant4j-llm: Q4_0/Q8_0/Q4_K dots with 8-bit activations run in libquant4j (" + GgmlDots.isa().label() + ")"
                : "quant4j-llm: native dots unavailable (" + GgmlDots.unavailableReason() + "); the Vector API dots serve");
    }

    /** Whether {@link #rows} will run natively now (library loaded, not switched off by the property). */
    static boolean enabled() {
        return AVAILABLE && !"false".equalsIgnoreCase(System.getProperty("quant4j.llm.native"));
    }

    /**
     * y[yo + i] = row i · a for {@code count} rows from byte {@code off}, natively; false (nothing
     * written) when the native dots are off or {@code type} has none, so the caller runs its own.
     */
    static boolean rows(GgmlType type, MemorySegment w, long off, long rowBytes, int count, Q8Activations a, int n, float[] y, int yo) {
        GgmlDots.Type t = switch (type) {
            case Q4_0 -> GgmlDots.Type.Q4_0;
            case Q8_0 -> GgmlDots.Type.Q8_0;
            case Q4_K -> GgmlDots.Type.Q4_K;
            default -> null;
        };
        if (t == null || !enabled()) return false;
        GgmlDots.rows(t, w, off, rowBytes, count, n, a.q(), a.d(), a.sums(), a.dsums(), y, yo);
        return true;
    }
}
