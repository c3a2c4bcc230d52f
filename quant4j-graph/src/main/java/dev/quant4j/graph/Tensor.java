package dev.quant4j.graph;

import dev.quant4j.core.DataType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A dense tensor: element type, shape and little-endian element bytes in a {@link MemorySegment}
 * that lives on the heap, off the heap, or in a memory-mapped file.
 *
 * <p>Bytes are in ONNX {@code raw_data} order: row-major, little-endian. The 4-bit types pack two
 * elements to a byte, the first element in the low nibble:
 * <pre>
 *   byte k:  bit 7..4 = element 2k+1   bit 3..0 = element 2k
 * </pre>
 * STRING tensors keep their elements as byte arrays and have an empty segment.
 *
 * <p>A tensor made by {@link #allocate} or {@link #mapped(Path, long, long, DataType, long...)} owns
 * an {@link Arena} and frees it on {@link #close()}; tensors that view someone else's memory
 * (heap arrays, a model's mapped file) have nothing to close and {@code close()} does nothing.
 */
public final class Tensor implements AutoCloseable {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DataType dtype;
    private final long[] shape;
    private final MemorySegment data;
    private final List<byte[]> strings;
    private final Arena owned;

    private Tensor(DataType dtype, long[] shape, MemorySegment data, List<byte[]> strings, Arena owned) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long n = elementCount(this.shape);
        if (dtype == DataType.STRING) {
            if (strings.size() != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " strings, got " + strings.size());
        } else if (data.byteSize() != dtype.byteSize(n)) {
            throw new IllegalArgumentException(dtype + Arrays.toString(shape) + " needs " + dtype.byteSize(n) + " bytes, got " + data.byteSize());
        }
        this.data = data;
        this.strings = strings;
        this.owned = owned;
    }

    /** Number of elements of a shape; throws on a negative dimension or an overflowing product. */
    public static long elementCount(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    // ---- factories --------------------------------------------------------------------------

    /** A view of {@code bytes} (little-endian element bytes, not copied). */
    public static Tensor wrap(DataType dtype, MemorySegment bytes, long... shape) {
        return new Tensor(dtype, shape, bytes, List.of(), null);
    }

    /** A tensor whose bytes are a copy of {@code bytes} on the heap. */
    public static Tensor ofBytes(DataType dtype, byte[] bytes, long... shape) {
        return wrap(dtype, MemorySegment.ofArray(bytes.clone()), shape);
    }

    public static Tensor of(float[] data, long... shape) {
        MemorySegment s = heap(DataType.FLOAT32, shape);
        MemorySegment.copy(data, 0, s, F32, 0, checkLen(data.length, shape));
        return wrap(DataType.FLOAT32, s, shape);
    }

    public static Tensor ofDoubles(double[] data, long... shape) {
        MemorySegment s = heap(DataType.FLOAT64, shape);
        MemorySegment.copy(data, 0, s, F64, 0, checkLen(data.length, shape));
        return wrap(DataType.FLOAT64, s, shape);
    }

    public static Tensor ofInts(int[] data, long... shape) {
        MemorySegment s = heap(DataType.INT32, shape);
        MemorySegment.copy(data, 0, s, I32, 0, checkLen(data.length, shape));
        return wrap(DataType.INT32, s, shape);
    }

    public static Tensor ofLongs(long[] data, long... shape) {
        MemorySegment s = heap(DataType.INT64, shape);
        MemorySegment.copy(data, 0, s, I64, 0, checkLen(data.length, shape));
        return wrap(DataType.INT64, s, shape);
    }

    /** A 1-D INT64 tensor, the form of ONNX shape tensors. */
    public static Tensor vectorOfLongs(long... data) {
        return ofLongs(data, data.length);
    }

    public static Tensor scalar(float v) { return of(new float[] {v}); }

    public static Tensor scalarLong(long v) { return ofLongs(new long[] {v}); }

    public static Tensor ofBooleans(boolean[] data, long... shape) {
        byte[] b = new byte[checkLen(data.length, shape)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (data[i] ? 1 : 0);
        return wrap(DataType.BOOL, MemorySegment.ofArray(b), shape);
    }

    public static Tensor ofStrings(List<String> data, long... shape) {
        return ofStringBytes(data.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(), shape);
    }

    public static Tensor ofStringBytes(List<byte[]> data, long... shape) {
        return new Tensor(DataType.STRING, shape, MemorySegment.ofArray(new byte[0]),
                data.stream().map(byte[]::clone).toList(), null);
    }

    /** A zero-filled tensor on the heap (up to 2 GB; use {@link #allocate} beyond). */
    public static Tensor zeros(DataType dtype, long... shape) {
        if (dtype == DataType.STRING) return ofStringBytes(java.util.Collections.nCopies(Math.toIntExact(elementCount(shape)), new byte[0]), shape);
        return wrap(dtype, heap(dtype, shape), shape);
    }

    /** A zero-filled tensor in native memory owned by the tensor: close it to free the memory. */
    public static Tensor allocate(DataType dtype, long... shape) {
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(dtype.byteSize(elementCount(shape)), 64);
        return new Tensor(dtype, shape, s, List.of(), arena);
    }

    /**
     * Maps {@code length} bytes at {@code offset} of {@code file} read-only; the tensor owns the
     * mapping and releases it on {@link #close()}. The range is checked against the file's size.
     */
    public static Tensor mapped(Path file, long offset, long length, DataType dtype, long... shape) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset < 0 || length < 0 || offset > size || length > size - offset) {
                throw new IOException(file + ": range [" + offset + ", +" + length + ") is outside the file (" + size + " bytes)");
            }
            Arena arena = Arena.ofShared();
            try {
                return new Tensor(dtype, shape, ch.map(FileChannel.MapMode.READ_ONLY, offset, length, arena), List.of(), arena);
            } catch (RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    private static MemorySegment heap(DataType dtype, long[] shape) {
        long bytes = dtype.byteSize(elementCount(shape));
        if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(dtype + Arrays.toString(shape) + " is over 2 GB: use Tensor.allocate");
        // byte[] backing so that the segment can also be viewed as a ByteBuffer (writers need that).
        return MemorySegment.ofArray(new byte[(int) bytes]);
    }

    private static int checkLen(int len, long[] shape) {
        long n = elementCount(shape);
        if (n != len) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n + " elements, data has " + len);
        return len;
    }

    // ---- properties -------------------------------------------------------------------------

    public DataType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int axis) { return shape[axis < 0 ? axis + shape.length : axis]; }

    public long elementCount() { return elementCount(shape); }

    /** Bytes of element data (0 for STRING). */
    public long byteSize() { return data.byteSize(); }

    /** The element bytes (little-endian, row-major); read-only use is expected. */
    public MemorySegment data() { return data; }

    /** True when the data lives in a mapped file or native memory rather than a Java array. */
    public boolean isNative() { return data.isNative() || data.isMapped(); }

    /** This tensor's data under another shape with the same element count (a view, no copy). */
    public Tensor reshape(long... newShape) {
        if (elementCount(newShape) != elementCount()) throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        return new Tensor(dtype, newShape, data, strings, null);
    }

    @Override
    public void close() {
        if (owned != null && owned.scope().isAlive()) owned.close();
    }

    // ---- typed accessors (copies) -----------------------------------------------------------

    public float[] floats() { require(DataType.FLOAT32); return data.toArray(F32); }

    public double[] doubles() { require(DataType.FLOAT64); return data.toArray(F64); }

    public int[] ints() { require(DataType.INT32); return data.toArray(I32); }

    public long[] longs() { require(DataType.INT64); return data.toArray(I64); }

    /** The element bytes as a byte array (any non-string type). */
    public byte[] bytes() {
        if (data.byteSize() > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor of " + data.byteSize() + " bytes does not fit a Java array");
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    public List<byte[]> stringBytes() { require(DataType.STRING); return strings.stream().map(byte[]::clone).toList(); }

    public List<String> strings() { require(DataType.STRING); return strings.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList(); }

    /**
     * Element {@code i} of an integer or boolean tensor widened to long (4-bit types unpacked,
     * unsigned types zero-extended; UINT64 above 2^63 wraps).
     */
    public long getLong(long i) {
        return switch (dtype) {
            case INT64, UINT64 -> data.getAtIndex(I64, i);
            case INT32 -> data.getAtIndex(I32, i);
            case UINT32 -> Integer.toUnsignedLong(data.getAtIndex(I32, i));
            case INT16 -> data.getAtIndex(I16, i);
            case UINT16 -> Short.toUnsignedInt(data.getAtIndex(I16, i));
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case UINT8, BOOL -> Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, i));
            case INT4, UINT4 -> {
                int b = data.get(ValueLayout.JAVA_BYTE, i >> 1);
                int nib = (i & 1) == 0 ? b & 0xF : (b >> 4) & 0xF;
                yield dtype == DataType.INT4 ? (nib << 28) >> 28 : nib;
            }
            default -> throw new IllegalStateException("getLong on a " + dtype + " tensor");
        };
    }

    /** Element {@code i} of a floating-point tensor (FLOAT32/64, FLOAT16, BFLOAT16) as double. */
    public double getDouble(long i) {
        return switch (dtype) {
            case FLOAT32 -> data.getAtIndex(F32, i);
            case FLOAT64 -> data.getAtIndex(F64, i);
            case FLOAT16 -> Float.float16ToFloat(data.getAtIndex(I16, i));
            case BFLOAT16 -> Float.intBitsToFloat(data.getAtIndex(I16, i) << 16);
            default -> dtype.isInteger() || dtype == DataType.BOOL ? getLong(i) : fail("getDouble on a " + dtype + " tensor");
        };
    }

    /** All elements of an integer or boolean tensor widened to long (see {@link #getLong}). */
    public long[] toLongs() {
        long[] out = new long[Math.toIntExact(elementCount())];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    private static double fail(String msg) { throw new IllegalStateException(msg); }

    private void require(DataType t) {
        if (dtype != t) throw new IllegalStateException("tensor is " + dtype + ", not " + t);
    }

    // ---- value equality (for tests and round-trip checks) -----------------------------------

    /** True when both tensors have the same type, shape and element bytes. */
    public boolean contentEquals(Tensor o) {
        if (o == this) return true;
        if (o == null || dtype != o.dtype || !Arrays.equals(shape, o.shape)) return false;
        if (dtype == DataType.STRING) {
            for (int i = 0; i < strings.size(); i++) if (!Arrays.equals(strings.get(i), o.strings.get(i))) return false;
            return true;
        }
        return data.mismatch(o.data) == -1;
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + Arrays.toString(shape) + (isNative() ? ", native" : "") + "]";
    }
}
