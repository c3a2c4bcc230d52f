package dev.quant4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference provider: plain loops, single-threaded, the oracle every other provider is tested
 * against. fp32 dot products accumulate in double and round once, so the oracle's own error is
 * one rounding, far below the float-summation error of the fast providers; tests then allow
 * those a tolerance of about k·ulp·Σ|a||b|. Integer kernels are exact in int32 (wrapping like
 * two's-complement hardware when a sum would not fit).
 */
public final class ScalarKernels implements Kernels {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** B [k×n] row-major copy. */
    record Packed(int k, int n, float[] b) implements PackedF32 {}

    /** B [k×n] row-major bytes and one zero-point per column. */
    record PackedBytes(int k, int n, byte[] b, int[] zeroPoints) implements PackedI8 {}

    @Override public String name() { return "scalar"; }

    /** Always 1: the oracle stays simple. */
    @Override public int threads() { return 1; }

    // ---------------------------------------------------------------- fp32

    @Override
    public void sgemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        KernelArgs.sgemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        gemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    private static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double av = a[aOff + i * lda + p];
                int bo = bOff + p * ldb;
                for (int j = 0; j < n; j++) row[j] += av * b[bo + j];
            }
            int co = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[co + j] = (float) (accumulate ? row[j] + c[co + j] : row[j]);
        }
    }

    @Override
    public PackedF32 packF32(int k, int n, MemorySegment b, long bOffElems, int ldb, boolean transposed) {
        KernelArgs.packB(k, n, b, bOffElems, ldb, transposed, 4);
        float[] p = new float[KernelArgs.elements("packed B", k, n)];
        for (int r = 0; r < k; r++)
            for (int j = 0; j < n; j++) {
                long idx = transposed ? bOffElems + (long) j * ldb + r : bOffElems + (long) r * ldb + j;
                p[r * n + j] = b.getAtIndex(F32, idx);
            }
        return new Packed(k, n, p);
    }

    @Override
    public void sgemm(int m, float[] a, int aOff, int lda, PackedF32 b, float[] c, int cOff, int ldc, boolean accumulate) {
        if (!(b instanceof Packed p)) throw new IllegalArgumentException("B was not packed by the scalar provider: " + b);
        KernelArgs.packedGemm(m, p.k, p.n, a, aOff, lda, c, cOff, ldc);
        gemm(m, p.n, p.k, a, aOff, lda, p.b, 0, p.n, c, cOff, ldc, accumulate);
    }

    @Override
    public void sgemv(int n, int k, MemorySegment w, long wOffElems, int ldw, float[] x, int xOff, float[] y, int yOff) {
        KernelArgs.sgemv(n, k, w, wOffElems, ldw, x, xOff, y, yOff);
        for (int r = 0; r < n; r++) {
            double s = 0;
            long base = wOffElems + (long) r * ldw;
            for (int p = 0; p < k; p++) s += (double) w.getAtIndex(F32, base + p) * x[xOff + p];
            y[yOff + r] = (float) s;
        }
    }

    // ---------------------------------------------------------------- int8

    @Override
    public PackedI8 packI8(int k, int n, MemorySegment b, long bOffBytes, int ldb, boolean transposed, int[] zeroPoints) {
        KernelArgs.packB(k, n, b, bOffBytes, ldb, transposed, 1);
        int[] z = KernelArgs.weightZeroPoints(zeroPoints, n);
        byte[] p = new byte[KernelArgs.elements("packed B", k, n)];
        for (int r = 0; r < k; r++)
            for (int j = 0; j < n; j++)
                p[r * n + j] = b.get(ValueLayout.JAVA_BYTE, transposed ? bOffBytes + (long) j * ldb + r : bOffBytes + (long) r * ldb + j);
        return new PackedBytes(k, n, p, z);
    }

    @Override
    public void gemmI8(int m, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint, PackedI8 b, Epilogue epilogue) {
        if (!(b instanceof PackedBytes p)) throw new IllegalArgumentException("B was not packed by the scalar provider: " + b);
        KernelArgs.gemmI8(m, p.k, p.n, a, aOff, lda, aUnsigned, aZeroPoint, epilogue);
        int n = p.n, k = p.k;
        int[] acc = new int[KernelArgs.elements("accumulators", m, n)];
        for (int i = 0; i < m; i++)
            for (int q = 0; q < k; q++) {
                int av = a[aOff + i * lda + q];
                av = (aUnsigned ? av & 0xFF : av) - aZeroPoint;
                for (int j = 0; j < n; j++) acc[i * n + j] += av * (p.b[q * n + j] - p.zeroPoints[j]);
            }
        Epilogues.apply(epilogue, acc, 0, 0, m, n);
    }

    // ---------------------------------------------------------------- weight-only

    /** One dequantized weight, (code − zeroPoint)·scale in float. */
    static float weight(BlockQuantizedMatrix w, int r, int c) {
        int blk = r * w.blocksPerRow() + c / w.blockSize();
        int zp = w.zeroPoints() == null ? w.defaultZeroPoint() : w.zeroPoints()[blk] & 0xFF;
        return (code(w, r, c) - zp) * w.scales()[blk];
    }

    static int code(BlockQuantizedMatrix w, int r, int c) {
        long row = r * w.bytesPerRow();
        if (w.bits() == 8) return w.data().get(ValueLayout.JAVA_BYTE, row + c) & 0xFF;
        int v = w.data().get(ValueLayout.JAVA_BYTE, row + (c >> 1)) & 0xFF;
        return (c & 1) == 0 ? v & 0x0F : v >>> 4;
    }

    @Override
    public void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff) {
        KernelArgs.gemvQ(w, x, xOff, y, yOff);
        for (int r = 0; r < w.rows(); r++) {
            double s = 0;
            for (int c = 0; c < w.cols(); c++) s += (double) weight(w, r, c) * x[xOff + c];
            y[yOff + r] = (float) s;
        }
    }

    @Override
    public void gemmQ(int m, float[] x, int xOff, int ldx, BlockQuantizedMatrix w, float[] y, int yOff, int ldy) {
        KernelArgs.gemmQ(m, x, xOff, ldx, w, y, yOff, ldy);
        float[] row = new float[w.cols()];
        for (int r = 0; r < w.rows(); r++) {
            for (int c = 0; c < row.length; c++) row[c] = weight(w, r, c);
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int c = 0; c < row.length; c++) s += (double) row[c] * x[xOff + i * ldx + c];
                y[yOff + i * ldy + r] = (float) s;
            }
        }
    }

    // ---------------------------------------------------------------- conversions

    @Override
    public void f16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        for (int i = 0; i < count; i++) dst[dstOff + i] = HalfFloats.f16ToF32(src[srcOff + i]);
    }

    @Override
    public void f32ToF16(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        for (int i = 0; i < count; i++) dst[dstOff + i] = HalfFloats.f32ToF16(src[srcOff + i]);
    }

    @Override
    public void bf16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        for (int i = 0; i < count; i++) dst[dstOff + i] = HalfFloats.bf16ToF32(src[srcOff + i]);
    }

    @Override
    public void f32ToBf16(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        KernelArgs.convert(src.length, srcOff, dst.length, dstOff, count);
        for (int i = 0; i < count; i++) dst[dstOff + i] = HalfFloats.f32ToBf16(src[srcOff + i]);
    }
}
