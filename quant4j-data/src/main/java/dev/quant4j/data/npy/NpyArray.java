package dev.quant4j.data.npy;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An n-dimensional array as stored in an NPY file: its header and its data bytes, which may be a
 * mapping of the file (nothing read until asked) or a heap copy. Accessors take flat indices in
 * C (row-major) order whatever the storage order, so a Fortran-ordered file reads the same as its
 * C-ordered twin.
 */
public record NpyArray(NpyHeader header, MemorySegment data, String source) {

    public NpyDtype dtype() { return header.dtype(); }

    public long[] shape() { return header.shape().clone(); }

    public long elementCount() { return header.elementCount(); }

    /** Element {@code cIndex} (row-major position) as a double. */
    public double getDouble(long cIndex) {
        return header.dtype().get(data, storageIndex(cIndex) * header.dtype().itemSize());
    }

    /** Element {@code cIndex} as a long, exact for every integer type. */
    public long getLong(long cIndex) {
        return header.dtype().getLong(data, storageIndex(cIndex) * header.dtype().itemSize());
    }

    /** {@code count} elements starting at row-major position {@code cStart}, as floats. */
    public float[] floats(long cStart, int count) {
        checkRange(cStart, count);
        float[] out = new float[count];
        NpyDtype dt = header.dtype();
        int sz = dt.itemSize();
        for (int i = 0; i < count; i++) out[i] = (float) dt.get(data, storageIndex(cStart + i) * sz);
        return out;
    }

    /** {@code count} elements starting at row-major position {@code cStart}, as doubles. */
    public double[] doubles(long cStart, int count) {
        checkRange(cStart, count);
        double[] out = new double[count];
        NpyDtype dt = header.dtype();
        int sz = dt.itemSize();
        for (int i = 0; i < count; i++) out[i] = dt.get(data, storageIndex(cStart + i) * sz);
        return out;
    }

    /** All elements in row-major order, as floats. */
    public float[] toFloats() {
        return floats(0, Math.toIntExact(elementCount()));
    }

    public double[] toDoubles() {
        return doubles(0, Math.toIntExact(elementCount()));
    }

    public long[] toLongs() {
        long[] out = new long[Math.toIntExact(elementCount())];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    private void checkRange(long start, int count) {
        if (start < 0 || count < 0 || start + count > elementCount())
            throw new IndexOutOfBoundsException("elements " + start + ".." + (start + count) + " of " + elementCount() + " in " + source);
    }

    /** Where row-major element {@code c} sits in storage: itself for C order, transposed for Fortran. */
    private long storageIndex(long c) {
        if (!header.fortranOrder()) return c;
        long[] shape = header.shape();
        long f = 0, stride = 1, rest = c;
        long[] idx = new long[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = rest % shape[k];
            rest /= shape[k];
        }
        for (int k = 0; k < shape.length; k++) {
            f += idx[k] * stride;
            stride *= shape[k];
        }
        return f;
    }

    /** A heap array of {@code dtype} holding {@code values} (row-major), for writing. */
    public static NpyArray of(NpyDtype dtype, long[] shape, double[] values) {
        return build(dtype, shape, false, values, null);
    }

    /**
     * A heap array stored in Fortran order when {@code fortranOrder} is set; {@code values} are
     * still given row-major.
     */
    public static NpyArray of(NpyDtype dtype, long[] shape, boolean fortranOrder, double[] values) {
        return build(dtype, shape, fortranOrder, values, null);
    }

    public static NpyArray ofFloats(long[] shape, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        return build(NpyDtype.F4, shape, false, d, null);
    }

    /** An int64 array; takes longs so values beyond 2^53 are kept exactly. */
    public static NpyArray ofLongs(long[] shape, long[] values) {
        return build(NpyDtype.I8, shape, false, null, values);
    }

    private static NpyArray build(NpyDtype dtype, long[] shape, boolean fortran, double[] d, long[] l) {
        NpyHeader h = new NpyHeader(1, dtype, fortran, shape.clone(), 0);
        long n = h.elementCount();
        if (n != (d != null ? d.length : l.length))
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, given " + (d != null ? d.length : l.length));
        MemorySegment seg = MemorySegment.ofArray(new byte[Math.toIntExact(h.dataBytes())]);
        NpyArray a = new NpyArray(h, seg, "heap");
        for (long c = 0; c < n; c++) {
            long off = a.storageIndex(c) * dtype.itemSize();
            if (l != null) seg.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), off, l[(int) c]);
            else dtype.set(seg, off, d[(int) c]);
        }
        return a;
    }
}
