package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor's elements as a Java array chosen by element width, so that data-movement operators
 * handle every type with {@code System.arraycopy} and a few typed loops:
 *
 * <pre>
 *   FLOAT32 → float[]   FLOAT64 → double[]   (U)INT64 → long[]   (U)INT32 → int[]
 *   16-bit (ints, FLOAT16, BFLOAT16) → short[]   8-bit (ints, BOOL, FLOAT8) → byte[]
 *   STRING → byte[][] (UTF-8)
 * </pre>
 *
 * Arrays of tensors the runtime made are shared, not copied: never write into one read here.
 */
final class Elements {
    private Elements() {}

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == LE;

    static Object array(Tensor t) {
        DataType d = t.dtype();
        if (d == DataType.STRING) return t.stringBytes().toArray(new byte[0][]);
        int n = Math.toIntExact(t.elementCount());
        MemorySegment s = t.data();
        Object base = !s.isNative() && s.address() == 0 && (NATIVE_LE || d.bits() == 8) ? s.heapBase().orElse(null) : null;
        Object arr = switch (d.bits()) {
            case 64 -> d == DataType.FLOAT64 ? (base instanceof double[] a && a.length == n ? a : s.toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE)))
                    : (base instanceof long[] a && a.length == n ? a : s.toArray(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE)));
            case 32 -> d == DataType.FLOAT32 ? (base instanceof float[] a && a.length == n ? a : s.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE)))
                    : (base instanceof int[] a && a.length == n ? a : s.toArray(ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE)));
            case 16 -> base instanceof short[] a && a.length == n ? a : s.toArray(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE));
            case 8 -> base instanceof byte[] a && a.length == n ? a : s.toArray(ValueLayout.JAVA_BYTE);
            default -> throw new IllegalArgumentException(d + " tensors are not supported by this operator");
        };
        return arr;
    }

    /** A zeroed array for {@code n} elements of {@code d} (empty strings for STRING). */
    static Object allocate(DataType d, int n) {
        if (d == DataType.STRING) {
            byte[][] a = new byte[n][];
            Arrays.fill(a, new byte[0]);
            return a;
        }
        return switch (d.bits()) {
            case 64 -> d == DataType.FLOAT64 ? new double[n] : new long[n];
            case 32 -> d == DataType.FLOAT32 ? new float[n] : new int[n];
            case 16 -> new short[n];
            case 8 -> new byte[n];
            default -> throw new IllegalArgumentException(d + " tensors are not supported by this operator");
        };
    }

    static Tensor wrap(DataType d, Object a, long... shape) {
        if (a instanceof byte[][] str) return Tensor.ofStringBytes(List.of(str), shape);
        MemorySegment seg = switch (a) {
            case float[] x -> MemorySegment.ofArray(x);
            case double[] x -> MemorySegment.ofArray(x);
            case long[] x -> MemorySegment.ofArray(x);
            case int[] x -> MemorySegment.ofArray(x);
            case short[] x -> MemorySegment.ofArray(x);
            case byte[] x -> MemorySegment.ofArray(x);
            default -> throw new IllegalArgumentException("not an element array: " + a.getClass());
        };
        if (Tensor.elementCount(shape) != java.lang.reflect.Array.getLength(a))
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + java.lang.reflect.Array.getLength(a) + " elements");
        return Tensor.wrap(d, seg, shape);
    }

    /** {@code dst[d + i] = src[s + i * stride]} for i in [0, n). */
    static void copyStrided(Object src, int s, int stride, Object dst, int d, int n) {
        if (stride == 1) { System.arraycopy(src, s, dst, d, n); return; }
        switch (src) {
            case float[] x -> { float[] y = (float[]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            case double[] x -> { double[] y = (double[]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            case long[] x -> { long[] y = (long[]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            case int[] x -> { int[] y = (int[]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            case short[] x -> { short[] y = (short[]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            case byte[] x -> { byte[] y = (byte[]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            case byte[][] x -> { byte[][] y = (byte[][]) dst; for (int i = 0; i < n; i++) y[d + i] = x[s + i * stride]; }
            default -> throw new IllegalArgumentException("not an element array: " + src.getClass());
        }
    }

    /**
     * {@code dst[d + i] = src[s + off[i]]} for i in [0, n); entries with {@code off[i] < 0} are left
     * as they are (the caller filled them).
     */
    static void copyIndexed(Object src, int s, int[] off, Object dst, int d, int n) {
        switch (src) {
            case float[] x -> { float[] y = (float[]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            case double[] x -> { double[] y = (double[]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            case long[] x -> { long[] y = (long[]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            case int[] x -> { int[] y = (int[]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            case short[] x -> { short[] y = (short[]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            case byte[] x -> { byte[] y = (byte[]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            case byte[][] x -> { byte[][] y = (byte[][]) dst; for (int i = 0; i < n; i++) if (off[i] >= 0) y[d + i] = x[s + off[i]]; }
            default -> throw new IllegalArgumentException("not an element array: " + src.getClass());
        }
    }

    /** Sets every element of {@code dst} to element 0 of {@code value} (a one-element array of the same kind). */
    static void fill(Object dst, Object value) {
        switch (dst) {
            case float[] y -> Arrays.fill(y, ((float[]) value)[0]);
            case double[] y -> Arrays.fill(y, ((double[]) value)[0]);
            case long[] y -> Arrays.fill(y, ((long[]) value)[0]);
            case int[] y -> Arrays.fill(y, ((int[]) value)[0]);
            case short[] y -> Arrays.fill(y, ((short[]) value)[0]);
            case byte[] y -> Arrays.fill(y, ((byte[]) value)[0]);
            case byte[][] y -> Arrays.fill(y, ((byte[][]) value)[0]);
            default -> throw new IllegalArgumentException("not an element array: " + dst.getClass());
        }
    }

    /** {@code dst[i] = cond[i] != 0 ? x[i] : y[i]} over equal-length arrays. */
    static void select(byte[] c, Object x, Object y, Object dst) {
        int n = c.length;
        switch (dst) {
            case float[] o -> { float[] a = (float[]) x, b = (float[]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            case double[] o -> { double[] a = (double[]) x, b = (double[]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            case long[] o -> { long[] a = (long[]) x, b = (long[]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            case int[] o -> { int[] a = (int[]) x, b = (int[]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            case short[] o -> { short[] a = (short[]) x, b = (short[]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            case byte[] o -> { byte[] a = (byte[]) x, b = (byte[]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            case byte[][] o -> { byte[][] a = (byte[][]) x, b = (byte[][]) y; for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? a[i] : b[i]; }
            default -> throw new IllegalArgumentException("not an element array: " + dst.getClass());
        }
    }
}
