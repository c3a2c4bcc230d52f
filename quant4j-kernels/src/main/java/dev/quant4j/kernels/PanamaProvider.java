package dev.quant4j.kernels;

/**
 * Provides the Vector API kernels when the incubator module is resolved (run with
 * {@code --add-modules=jdk.incubator.vector}) and the CPU's preferred float vector is at least
 * 256 bits wide; below that the scalar loops are as fast. This class touches no vector class until
 * {@link #available()} has said yes, so it loads without the incubator module.
 */
public final class PanamaProvider implements KernelsProvider {
    @Override public String name() { return "panama"; }
    @Override public int priority() { return 100; }

    @Override
    public boolean available() { return unavailableReason().isEmpty(); }

    @Override
    public String unavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty())
            return "module jdk.incubator.vector is not resolved (add --add-modules=jdk.incubator.vector)";
        try {
            int bits = PanamaKernels.preferredBits();
            return bits >= 256 ? "" : "preferred vector is " + bits + " bits (< 256)";
        } catch (LinkageError e) {
            return "Vector API failed to load: " + e;
        }
    }

    @Override
    public Kernels create(int threads) {
        String why = unavailableReason();
        if (!why.isEmpty()) throw new IllegalStateException("panama kernels are not available: " + why);
        return new PanamaKernels(threads);
    }
}
