package dev.quant4j.runtime;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Fast array access to tensors for operators. Tensors the runtime makes are backed by Java arrays
 * of their element type, so reading them back is free; other tensors (initializers in a byte
 * array, mapped weights) are copied once.
 */
public final class Tensors {
    private Tensors() {}

    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** The elements of a FLOAT32 tensor; no copy when the tensor wraps a float[] (do not modify). */
    public static float[] floats(Tensor t) {
        require(t, DataType.FLOAT32);
        if (LITTLE && backing(t.data()) instanceof float[] a && a.length == t.elementCount()) return a;
        return t.floats();
    }

    /** The elements of an INT64 tensor; no copy when it wraps a long[] (do not modify). */
    public static long[] longs(Tensor t) {
        require(t, DataType.INT64);
        if (LITTLE && backing(t.data()) instanceof long[] a && a.length == t.elementCount()) return a;
        return t.longs();
    }

    /** The elements of an INT32 tensor; no copy when it wraps an int[] (do not modify). */
    public static int[] ints(Tensor t) {
        require(t, DataType.INT32);
        if (LITTLE && backing(t.data()) instanceof int[] a && a.length == t.elementCount()) return a;
        return t.ints();
    }

    /** The bytes of an 8-bit or BOOL tensor; no copy when it wraps a byte[] (do not modify). */
    public static byte[] bytes(Tensor t) {
        if (t.dtype().bits() != 8) throw new IllegalArgumentException("expected an 8-bit tensor, got " + t.dtype());
        if (backing(t.data()) instanceof byte[] a && a.length == t.elementCount()) return a;
        return t.bytes();
    }

    /** Any numeric tensor's elements converted to float. */
    public static float[] toFloats(Tensor t) {
        if (t.dtype() == DataType.FLOAT32) return floats(t);
        int n = Math.toIntExact(t.elementCount());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) t.getDouble(i);
        return out;
    }

    /** Any integer tensor's elements as long. */
    public static long[] toLongs(Tensor t) {
        if (t.dtype() == DataType.INT64) return longs(t);
        return t.toLongs();
    }

    public static Tensor ofFloats(float[] data, long... shape) {
        return Tensor.wrap(DataType.FLOAT32, MemorySegment.ofArray(data), checked(data.length, shape));
    }

    public static Tensor ofLongs(long[] data, long... shape) {
        return Tensor.wrap(DataType.INT64, MemorySegment.ofArray(data), checked(data.length, shape));
    }

    public static Tensor ofInts(int[] data, long... shape) {
        return Tensor.wrap(DataType.INT32, MemorySegment.ofArray(data), checked(data.length, shape));
    }

    /** An 8-bit (INT8, UINT8, BOOL) tensor wrapping {@code data}. */
    public static Tensor ofBytes(DataType type, byte[] data, long... shape) {
        if (type.bits() != 8) throw new IllegalArgumentException(type + " is not an 8-bit type");
        return Tensor.wrap(type, MemorySegment.ofArray(data), checked(data.length, shape));
    }

    /**
     * An integer tensor of {@code type} from long values, each wrapped to the type's width
     * (two's complement), as integer arithmetic in ONNX does.
     */
    public static Tensor fromLongs(DataType type, long[] v, long... shape) {
        return switch (type) {
            case INT64, UINT64 -> Tensor.wrap(type, MemorySegment.ofArray(v), checked(v.length, shape));
            case INT32, UINT32 -> { int[] a = new int[v.length]; for (int i = 0; i < a.length; i++) a[i] = (int) v[i]; yield Tensor.wrap(type, MemorySegment.ofArray(a), checked(a.length, shape)); }
            case INT16, UINT16 -> { short[] a = new short[v.length]; for (int i = 0; i < a.length; i++) a[i] = (short) v[i]; yield Tensor.wrap(type, MemorySegment.ofArray(a), checked(a.length, shape)); }
            case INT8, UINT8, BOOL -> { byte[] a = new byte[v.length]; for (int i = 0; i < a.length; i++) a[i] = (byte) v[i]; yield ofBytes(type, a, shape); }
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        };
    }

    /** Shape as int[], for tensors whose dimensions all fit an int. */
    public static int[] intShape(Tensor t) {
        long[] s = t.shape();
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) r[i] = Math.toIntExact(s[i]);
        return r;
    }

    public static int size(Tensor t) { return Math.toIntExact(t.elementCount()); }

    private static long[] checked(int len, long[] shape) {
        if (Tensor.elementCount(shape) != len)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + len + " elements");
        return shape;
    }

    private static Object backing(MemorySegment s) {
        if (s.isNative() || s.address() != 0) return null;
        return s.heapBase().orElse(null);
    }

    private static void require(Tensor t, DataType type) {
        if (t.dtype() != type) throw new IllegalArgumentException("expected " + type + ", got " + t.dtype() + java.util.Arrays.toString(t.shape()));
    }
}
