package dev.quant4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The small set of numeric kernels that everything heavier in quant4j runs on.
 *
 * <p>Conventions, shared by every provider:
 * <ul>
 *   <li>Matrices are row-major; {@code ld*} is the row stride in elements, {@code *Off} the index
 *       of element (0,0). Activations live on the heap (arrays); weights, which may be large and
 *       memory-mapped, are {@link MemorySegment}s (heap-backed segments are fine too).</li>
 *   <li>Weight matrices are packed once ({@code pack*}) into a provider-private layout, then used
 *       many times. A packed matrix is only valid for the provider that packed it.</li>
 *   <li>Shapes and bounds are checked before any work; a wrong shape is an
 *       {@link IllegalArgumentException}, never a wrong result or a crash.</li>
 *   <li>Results of the fp32 kernels may differ from the scalar reference by summation order only;
 *       integer kernels agree exactly.</li>
 * </ul>
 * The scalar provider ({@link ScalarKernels}) is the oracle every other provider is tested against.
 */
public interface Kernels {

    /** Name for logs and benchmark tables, e.g. "scalar", "panama(AVX-512, 16 lanes)". */
    String name();

    /** Threads this instance may use for one call. */
    int threads();

    // ---------------------------------------------------------------- fp32

    /** C[m×n] = A[m×k]·B[k×n] (+ C when {@code accumulate}). */
    void sgemm(int m, int n, int k,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * Packs a weight matrix B for {@link #sgemm(int, float[], int, int, PackedF32, float[], int, int, boolean)}.
     * With {@code transposed}, {@code b} holds Bᵀ as [n×k] row-major (the layout of ONNX Gemm with
     * transB=1 and of PyTorch Linear weights).
     */
    PackedF32 packF32(int k, int n, MemorySegment b, long bOffElems, int ldb, boolean transposed);

    /** C[m×n] = A[m×k]·B (+ C when {@code accumulate}) with B packed by this provider. */
    void sgemm(int m, float[] a, int aOff, int lda, PackedF32 b,
               float[] c, int cOff, int ldc, boolean accumulate);

    /** y[n] = W[n×k]·x[k] for an fp32 weight matrix W stored row-major (row stride {@code ldw}). */
    void sgemv(int n, int k, MemorySegment w, long wOffElems, int ldw,
               float[] x, int xOff, float[] y, int yOff);

    // ---------------------------------------------------------------- int8 × int8 → int32

    /**
     * Packs a signed 8-bit weight matrix B [k×n] (or Bᵀ [n×k] when {@code transposed}) with its
     * zero-point(s) ({@code zeroPoints} has length 1 or n) for {@link #gemmI8}.
     */
    PackedI8 packI8(int k, int n, MemorySegment b, long bOffBytes, int ldb, boolean transposed,
                    int[] zeroPoints);

    /**
     * Integer GEMM: acc[i][j] = Σ_p (A[i][p] − aZeroPoint)·(B[p][j] − bZero[j]), exactly in int32,
     * then the {@code epilogue} turns acc into the output. A is unsigned 8-bit when
     * {@code aUnsigned} (u8s8), else signed (s8s8).
     */
    void gemmI8(int m, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint,
                PackedI8 b, Epilogue epilogue);

    // ---------------------------------------------------------------- weight-only (fp32 activations)

    /** y[n] = W·x, with W [n×k] quantized in blocks along k (see {@link BlockQuantizedMatrix}). */
    void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff);

    /** Y[m×n] = X[m×k]·Wᵀ for W [n×k] block-quantized; dequantizes panels on the fly. */
    void gemmQ(int m, float[] x, int xOff, int ldx, BlockQuantizedMatrix w,
               float[] y, int yOff, int ldy);

    // ---------------------------------------------------------------- conversions

    /** IEEE binary16 bits → fp32, {@code count} elements. */
    void f16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count);

    /** fp32 → IEEE binary16 bits, round to nearest even, overflow to ±Inf, NaN stays NaN. */
    void f32ToF16(float[] src, int srcOff, short[] dst, int dstOff, int count);

    /** bfloat16 bits → fp32 (exact). */
    void bf16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count);

    /** fp32 → bfloat16 bits, round to nearest even, NaN stays a quiet NaN. */
    void f32ToBf16(float[] src, int srcOff, short[] dst, int dstOff, int count);
}
