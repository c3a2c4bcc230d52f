package dev.quant4j.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API provider. Checks arguments (with {@link KernelArgs}, as the scalar oracle does),
 * then hands the work to the package-private kernels: {@link F32Panels}/{@link BlockedGemm} for
 * GEMM, {@link I8Panels} for exact int8 GEMM, {@link QGemm} and {@link Gemv} for weight-only
 * matrices, {@link VectorConvert} for fp16/bf16.
 *
 * <p>The int8 GEMM strategy can be switched to the integer-lane alternative with
 * {@code -Dquant4j.kernels.i8=int} (for benchmarking the two against each other).
 */
final class PanamaKernels implements Kernels {
    /**
     * Below this many rows gemmQ runs one gemvQ per row instead of dequantizing every weight to
     * fp32 panels: measured on a 2048² int4 matrix here, 16 rows took 18 ms through the panels
     * and 11 ms as 16 GEMVs, 64 rows 38 ms against 84 ms.
     */
    static final int GEMV_ROWS = 32;
    private final int threads;
    private final boolean intLanes;
    private final int gemvRows;

    PanamaKernels(int threads) {
        this(threads, "int".equals(System.getProperty("quant4j.kernels.i8")), GEMV_ROWS);
    }

    PanamaKernels(int threads, boolean intLanesForI8) {
        this(threads, intLanesForI8, GEMV_ROWS);
    }

    /** {@code gemvRows} = 0 sends every gemmQ through the dequantizing GEMM (for tests). */
    PanamaKernels(int threads, boolean intLanesForI8, int gemvRows) {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        this.threads = threads;
        this.intLanes = intLanesForI8;
        this.gemvRows = gemvRows;
    }

    static int preferredBits() { return FloatVector.SPECIES_PREFERRED.vectorBitSize(); }

    @Override
    public String name() {
        return "panama(" + preferredBits() + "-bit, " + F32Tile.L + " lanes" + (intLanes ? ", int8 in int lanes" : "") + ")";
    }

    @Override public int threads() { return threads; }

    // ---------------------------------------------------------------- fp32

    @Override
    public void sgemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        KernelArgs.sgemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0) return;
        F32Panels p = F32Panels.pack(k, n, MemorySegment.ofArray(b), bOff, ldb, false, threads);
        new F32Panels.Gemm(m, a, aOff, lda, p, c, cOff, ldc, accumulate).run(threads);
    }

    @Override
    public PackedF32 packF32(int k, int n, MemorySegment b, long bOffElems, int ldb, boolean transposed) {
        KernelArgs.packB(k, n, b, bOffElems, ldb, transposed, 4);
        return F32Panels.pack(k, n, b, bOffElems, ldb, transposed, threads);
    }

    @Override
    public void sgemm(int m, float[] a, int aOff, int lda, PackedF32 b, float[] c, int cOff, int ldc, boolean accumulate) {
        if (!(b instanceof F32Panels p)) throw new IllegalArgumentException("B was not packed by the panama provider: " + b);
        KernelArgs.packedGemm(m, p.k(), p.n(), a, aOff, lda, c, cOff, ldc);
        new F32Panels.Gemm(m, a, aOff, lda, p, c, cOff, ldc, accumulate).run(threads);
    }

    @Override
    public void sgemv(int n, int k, MemorySegment w, long wOffElems, int ldw, float[] x, int xOff, float[] y, int yOff) {
        KernelArgs.sgemv(n, k, w, wOffElems, ldw, x, xOff, y, yOff);
        Gemv.sgemv(n, k, w, wOffElems, ldw, x, xOff, y, yOff, threads);
    }

    // ---------------------------------------------------------------- int8

    @Override
    public PackedI8 packI8(int k, int n, MemorySegment b, long bOffBytes, int ldb, boolean transposed, int[] zeroPoints) {
        KernelArgs.packB(k, n, b, bOffBytes, ldb, transposed, 1);
        int[] z = KernelArgs.weightZeroPoints(zeroPoints, n);
        return I8Panels.pack(k, n, b, bOffBytes, ldb, transposed, z);
    }

    @Override
    public void gemmI8(int m, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint, PackedI8 b, Epilogue epilogue) {
        if (!(b instanceof I8Panels p)) throw new IllegalArgumentException("B was not packed by the panama provider: " + b);
        KernelArgs.gemmI8(m, p.k(), p.n(), a, aOff, lda, aUnsigned, aZeroPoint, epilogue);
        if (m == 0) return;
        int[] acc = new int[KernelArgs.elements("accumulators", m, p.n())];
        if (intLanes) new I8IntGemm(m, a, aOff, lda, aUnsigned, aZeroPoint, p, acc).run(threads);
        else new I8Panels.Gemm(m, a, aOff, lda, aUnsigned, aZeroPoint, p, acc).run(threads);
        Epilogues.apply(epilogue, acc, 0, 0, m, p.n());
    }

    // ---------------------------------------------------------------- weight-only

    @Override
    public void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff) {
        KernelArgs.gemvQ(w, x, xOff, y, yOff);
        Gemv.gemvQ(w, x, xOff, y, yOff, threads);
    }

    @Override
    public void gemmQ(int m, float[] x, int xOff, int ldx, BlockQuantizedMatrix w, float[] y, int yOff, int ldy) {
        KernelArgs.gemmQ(m, x, xOff, ldx, w, y, yOff, ldy);
        if (m == 0) return;
        if (m < gemvRows) { // a few rows: streaming the codes m times beats dequantizing every weight once
            for (int i = 0; i < m; i++) Gemv.gemvQ(w, x, xOff + i * ldx, y, yOff + i * ldy, threads);
            return;
        }
        new QGemm(m, x, xOff, ldx, w, y, yOff, ldy).run(threads);
    }

    // ---------------------------------------------------------------- conversions

    @Override
    public void f16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        VectorConvert.f16ToF32(src, srcOff, dst, dstOff, count);
    }

    @Override
    public void f32ToF16(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        VectorConvert.f32ToF16(src, srcOff, dst, dstOff, count);
    }

    @Override
    public void bf16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        VectorConvert.bf16ToF32(src, srcOff, dst, dstOff, count);
    }

    @Override
    public void f32ToBf16(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        VectorConvert.f32ToBf16(src, srcOff, dst, dstOff, count);
    }
}
