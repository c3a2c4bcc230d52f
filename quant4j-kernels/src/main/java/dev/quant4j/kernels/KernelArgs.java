package dev.quant4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Argument checks shared by every provider, so that all of them reject the same bad calls with the
 * same {@link IllegalArgumentException} before touching memory. Public so that providers outside
 * this package (the native one) can use it too.
 */
public final class KernelArgs {
    private KernelArgs() {}

    /** A dimension that may be zero (the number of activation rows). */
    public static void nonNegative(String what, int v) {
        if (v < 0) throw new IllegalArgumentException(what + " must be ≥ 0, got " + v);
    }

    /** A dimension of a weight matrix. */
    public static void positive(String what, int v) {
        if (v <= 0) throw new IllegalArgumentException(what + " must be > 0, got " + v);
    }

    /** rows·cols as an array length, or a clear error when a copy that large cannot be made. */
    public static int elements(String what, int rows, int cols) {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException(what + ": " + rows + "×" + cols + " = " + n + " elements is too large for one array");
        return (int) n;
    }

    /** A row-major [rows×cols] matrix with row stride {@code ld} starting at {@code off} fits in {@code length} elements. */
    public static void matrix(String what, int rows, int cols, long off, int ld, long length) {
        if (off < 0) throw new IllegalArgumentException(what + ": offset " + off + " is negative");
        if (ld < cols)
            throw new IllegalArgumentException(what + ": row stride " + ld + " is smaller than the row width " + cols);
        if (rows == 0 || cols == 0) {
            if (off > length) throw new IllegalArgumentException(what + ": offset " + off + " is past the end (" + length + ")");
            return;
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (end > length)
            throw new IllegalArgumentException(what + ": a " + rows + "×" + cols + " matrix with stride " + ld
                    + " at offset " + off + " needs " + end + " elements, has " + length);
    }

    public static void matrix(String what, int rows, int cols, int off, int ld, float[] a) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        matrix(what, rows, cols, off, ld, a.length);
    }

    public static void matrix(String what, int rows, int cols, int off, int ld, byte[] a) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        matrix(what, rows, cols, off, ld, a.length);
    }

    public static void matrix(String what, int rows, int cols, int off, int ld, int[] a) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        matrix(what, rows, cols, off, ld, a.length);
    }

    /** A matrix of {@code elemBytes}-sized elements in a segment, offset and stride in elements. */
    public static void matrix(String what, int rows, int cols, long off, int ld, MemorySegment s, int elemBytes) {
        if (s == null) throw new IllegalArgumentException(what + " is null");
        matrix(what, rows, cols, off, ld, s.byteSize() / elemBytes);
    }

    public static void vector(String what, int count, int off, int length) {
        if (count < 0) throw new IllegalArgumentException(what + ": count " + count + " is negative");
        if (off < 0 || (long) off + count > length)
            throw new IllegalArgumentException(what + ": range [" + off + ", " + ((long) off + count)
                    + ") is outside an array of length " + length);
    }

    /** A per-column parameter array: null when {@code optional}, else length 1 (broadcast) or n. */
    public static void perColumn(String what, int length, int n, boolean broadcastAllowed) {
        if (length != n && !(broadcastAllowed && length == 1))
            throw new IllegalArgumentException(what + " has " + length + " entries, needs "
                    + (broadcastAllowed ? "1 or " : "") + n);
    }

    /** Operands of {@link Kernels#sgemm(int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}. */
    public static void sgemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        positive("n", n);
        positive("k", k);
        matrix("A", m, k, aOff, lda, a);
        matrix("B", k, n, bOff, ldb, b);
        matrix("C", m, n, cOff, ldc, c);
    }

    /** Activation and output of a GEMM against a packed [k×n] weight matrix. */
    public static void packedGemm(int m, int k, int n, float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        matrix("A", m, k, aOff, lda, a);
        matrix("C", m, n, cOff, ldc, c);
    }

    /** A weight matrix B [k×n] (or Bᵀ [n×k]) of {@code elemBytes}-sized elements to be packed. */
    public static void packB(int k, int n, MemorySegment b, long off, int ldb, boolean transposed, int elemBytes) {
        positive("k", k);
        positive("n", n);
        matrix("B", transposed ? n : k, transposed ? k : n, off, ldb, b, elemBytes);
    }

    /** Operands of {@link Kernels#sgemv}. */
    public static void sgemv(int n, int k, MemorySegment w, long wOff, int ldw, float[] x, int xOff, float[] y, int yOff) {
        positive("n", n);
        positive("k", k);
        matrix("W", n, k, wOff, ldw, w, 4);
        vector("x", k, xOff, x.length);
        vector("y", n, yOff, y.length);
    }

    /** Operands of {@link Kernels#gemvQ}. */
    public static void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff) {
        if (w == null) throw new IllegalArgumentException("weight matrix is null");
        vector("x", w.cols(), xOff, x.length);
        vector("y", w.rows(), yOff, y.length);
    }

    /** Operands of {@link Kernels#gemmQ}. */
    public static void gemmQ(int m, float[] x, int xOff, int ldx, BlockQuantizedMatrix w, float[] y, int yOff, int ldy) {
        if (w == null) throw new IllegalArgumentException("weight matrix is null");
        nonNegative("m", m);
        matrix("X", m, w.cols(), xOff, ldx, x);
        matrix("Y", m, w.rows(), yOff, ldy, y);
    }

    /** Ranges of a bulk conversion. */
    public static void convert(int srcLength, int srcOff, int dstLength, int dstOff, int count) {
        vector("src", count, srcOff, srcLength);
        vector("dst", count, dstOff, dstLength);
    }

    /** Checks the operands of an integer GEMM: A [m×k] and the epilogue's output [m×n]. */
    public static void gemmI8(int m, int k, int n, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint,
                              Epilogue epilogue) {
        nonNegative("m", m);
        matrix("A", m, k, aOff, lda, a);
        int lo = aUnsigned ? 0 : -128, hi = aUnsigned ? 255 : 127;
        if (aZeroPoint < lo || aZeroPoint > hi)
            throw new IllegalArgumentException("A zero-point " + aZeroPoint + " is outside [" + lo + ", " + hi + "]");
        if (epilogue == null) throw new IllegalArgumentException("epilogue is null");
        switch (epilogue) {
            case Epilogue.ToInt32 e -> matrix("output", m, n, e.off(), e.ldc(), e.out());
            case Epilogue.ToFloat e -> {
                matrix("output", m, n, e.off(), e.ldc(), e.out());
                if (e.scale() == null) throw new IllegalArgumentException("scale is null");
                perColumn("scale", e.scale().length, n, true);
                if (e.bias() != null) perColumn("bias", e.bias().length, n, false);
            }
            case Epilogue.ToInt8 e -> {
                matrix("output", m, n, e.off(), e.ldc(), e.out());
                if (e.multiplier() == null) throw new IllegalArgumentException("multiplier is null");
                perColumn("multiplier", e.multiplier().length, n, true);
                if (e.bias() != null) perColumn("bias", e.bias().length, n, false);
                if (e.qmin() > e.qmax() || e.qmin() < -128 || e.qmax() > 255)
                    throw new IllegalArgumentException("output range [" + e.qmin() + ", " + e.qmax() + "] is not an 8-bit range");
            }
        }
    }

    /** Zero-points of an int8 weight matrix: length 1 or n, each in [-128, 127]. */
    public static int[] weightZeroPoints(int[] zeroPoints, int n) {
        if (zeroPoints == null) throw new IllegalArgumentException("zeroPoints is null (pass {0} for symmetric weights)");
        perColumn("zeroPoints", zeroPoints.length, n, true);
        int[] z = new int[n];
        for (int j = 0; j < n; j++) {
            int v = zeroPoints[zeroPoints.length == 1 ? 0 : j];
            if (v < -128 || v > 127) throw new IllegalArgumentException("weight zero-point " + v + " is outside [-128, 127]");
            z[j] = v;
        }
        return z;
    }
}
