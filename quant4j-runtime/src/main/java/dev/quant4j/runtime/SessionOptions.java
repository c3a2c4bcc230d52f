package dev.quant4j.runtime;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;

/**
 * How a {@link Session} executes: the kernels (and so the thread count), the operator registry,
 * and whether quantized patterns (QDQ around MatMul/Gemm/Conv/Add, MatMulInteger chains, blocked
 * weight DequantizeLinear) are fused onto the integer kernels when the session is prepared. A fused
 * session does not show the float values inside a fused pattern to a {@link ValueObserver}.
 */
public record SessionOptions(Kernels kernels, OpRegistry registry, boolean fuse) {

    public SessionOptions(Kernels kernels, OpRegistry registry) { this(kernels, registry, true); }

    public static SessionOptions defaults() {
        return new SessionOptions(KernelsFactory.get(), OpRegistry.standard());
    }

    public static SessionOptions threads(int threads) {
        return new SessionOptions(KernelsFactory.create(threads), OpRegistry.standard());
    }

    public SessionOptions withKernels(Kernels k) { return new SessionOptions(k, registry, fuse); }

    /** With fusion on or off (off: every node runs as written, e.g. to compare against the fused plan). */
    public SessionOptions withFusion(boolean on) { return new SessionOptions(kernels, registry, on); }
}
