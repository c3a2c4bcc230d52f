package dev.quant4j.nativekernels;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.KernelsProvider;

/**
 * Registers the native kernels with {@link KernelsFactory} (META-INF/services). Highest priority
 * when libquant4j.so loads; the functions it does not implement go to the best Java provider.
 */
public final class NativeProvider implements KernelsProvider {
    @Override public String name() { return "native"; }

    @Override public int priority() { return 200; }

    @Override public boolean available() { return NativeLibrary.get() != null; }

    @Override public String unavailableReason() { return NativeLibrary.failure(); }

    /** System property naming the ISA level to use instead of the best one (portable, avx2, avx_vnni, avx512_vnni). */
    public static final String ISA_PROPERTY = "quant4j.native.isa";

    @Override
    public Kernels create(int threads) {
        return new NativeKernels(Isa.requested(), threads, javaKernels(threads));
    }

    /** The best available provider other than this one (panama when present, else scalar). */
    public static Kernels javaKernels(int threads) {
        for (KernelsProvider p : KernelsFactory.providers())
            if (!p.name().equals("native") && p.available()) return p.create(threads);
        return KernelsFactory.scalar();
    }
}
