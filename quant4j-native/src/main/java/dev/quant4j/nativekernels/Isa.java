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

    /**
     * The level every native kernel runs at: the one {@code -Dquant4j.native.isa} names
     * ({@link NativeProvider#ISA_PROPERTY}; read on each call, so a benchmark can switch), else
     * {@link #best()}.
     */
    public static Isa requested() {
        String wanted = System.getProperty(NativeProvider.ISA_PROPERTY);
        if (wanted == null || wanted.isBlank()) return Best.ISA;
        try {
            return valueOf(wanted.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + NativeProvider.ISA_PROPERTY + "=" + wanted + " is not one of portable, avx2, avx_vnni, avx512_vnni");
        }
    }

    /** {@link #best()} asked of the library once. */
    private static final class Best {
        static final Isa ISA = best();
    }
}
