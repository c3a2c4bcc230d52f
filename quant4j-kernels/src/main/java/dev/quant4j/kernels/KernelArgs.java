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
