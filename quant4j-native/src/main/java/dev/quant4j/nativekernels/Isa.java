package dev.quant4j.nativekernels;

/**
 * The instruction-set levels of libquant4j.so, in the order of the C enum (q4j.h). Each level's
 * integer GEMM has its own micro-kernel; weight-only kernels use AVX2 on every level above portable.
 */
public enum Isa {
    /** Plain C (layout Q, vpdpbusd emulated): any CPU, and the check of layout Q where VNNI is absent. */
    PORTABLE("portable"),
    /** vpmaddwd on operands widened to 16 bits: exact for all 8-bit inputs, no VNNI needed. */
    AVX2("AVX2"),
    /** vpdpbusd on 256-bit registers. */
    AVX_VNNI("AVX-VNNI"),
    /** vpdpbusd on 512-bit registers. */
    AVX512_VNNI("AVX-512 VNNI");

    private final String label;

    Isa(String label) { this.label = label; }

    public String label() { return label; }

    /** Whether this CPU can run this level (false when the native library is not available). */
    public boolean supported() {
        NativeLibrary lib = NativeLibrary.get();
        return lib != null && lib.isaSupported(ordinal());
    }

    /** The best level this CPU supports, or null when the native library is not available. */
    public static Isa best() {
        NativeLibrary lib = NativeLibrary.get();
        return lib == null ? null : values()[lib.isaBest()];
    }
}
