package dev.quant4j.nativekernels;

/**
 * Instruction-throughput ceilings measured on this CPU (peak.c): many independent chains of one
 * instruction, no memory traffic. Benchmarks report kernels as a fraction of these.
 */
public final class NativeCeilings {
    private NativeCeilings() {}

    /** The instruction chains peak.c knows; ops count a multiply-add as two. */
    public enum Kind {
        VNNI_512("vpdpbusd zmm"), VNNI_256("vpdpbusd ymm"), MADDWD_256("vpmaddwd+vpaddd ymm"),
        MADDUBSW_256("vpmaddubsw+vpmaddwd+vpaddd ymm (saturating)"), FMA_256("vfmadd ymm fp32"), FMA_512("vfmadd zmm fp32");

        private final String label;
        Kind(String label) { this.label = label; }
        public String label() { return label; }
    }

    /** Runs {@code iters} iterations; returns the operations done, or -1 when this CPU lacks the instruction. */
    public static long run(Kind kind, long iters) {
        NativeLibrary lib = NativeLibrary.get();
        if (lib == null) throw new IllegalStateException("native kernels unavailable: " + NativeLibrary.failure());
        try {
            return (long) lib.peak.invokeExact(kind.ordinal(), iters);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** The integer dot-product chain that the GEMM of {@code isa} is built on. */
    public static Kind intDotFor(Isa isa) {
        return switch (isa) {
            case AVX512_VNNI -> Kind.VNNI_512;
            case AVX_VNNI -> Kind.VNNI_256;
            case AVX2, PORTABLE -> Kind.MADDWD_256;
        };
    }
}
