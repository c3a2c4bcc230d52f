package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * Taking one index along an axis (dropping the axis) and stacking equal tensors along a new axis,
 * as Scan and Loop need for any element type of at least 8 bits. A tensor is viewed as
 * [outer × len × inner] around the axis; both operations copy whole inner blocks:
 *
 * <pre>
 *   slice(t, axis, i)[o][·]   = t[o][i][·]
 *   stack(parts, axis)[o][i][·] = parts[i][o][·]
 * </pre>
 */
final class AxisSlices {
    private AxisSlices() {}

    static Tensor slice(Tensor t, int axis, long index) {
        long[] s = t.shape();
        long len = s[axis], outer = prod(s, 0, axis), inner = elementBytes(t.dtype(), prod(s, axis + 1, s.length));
        if (index < 0 || index >= len) throw new IllegalArgumentException("index " + index + " outside axis " + axis + " of " + Arrays.toString(s));
        long[] os = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != axis) os[j++] = s[i];
        Tensor out = allocate(t.dtype(), os);
        for (long o = 0; o < outer; o++)
            MemorySegment.copy(t.data(), (o * len + index) * inner, out.data(), o * inner, inner);
        return out;
    }

    static Tensor stack(List<Tensor> parts, int axis) {
        Tensor first = parts.get(0);
        long[] s = first.shape();
        for (Tensor p : parts)
            if (p.dtype() != first.dtype() || !Arrays.equals(p.shape(), s))
                throw new IllegalArgumentException("cannot stack " + p.dtype() + Arrays.toString(p.shape()) + " with " + first.dtype() + Arrays.toString(s));
        int n = parts.size();
        long outer = prod(s, 0, axis), inner = elementBytes(first.dtype(), prod(s, axis, s.length));
        long[] os = new long[s.length + 1];
        System.arraycopy(s, 0, os, 0, axis);
        os[axis] = n;
        System.arraycopy(s, axis, os, axis + 1, s.length - axis);
        Tensor out = allocate(first.dtype(), os);
        for (int i = 0; i < n; i++) {
            MemorySegment src = parts.get(i).data();
            for (long o = 0; o < outer; o++) MemorySegment.copy(src, o * inner, out.data(), (o * n + i) * inner, inner);
        }
        return out;
    }

    /** A zeroed heap tensor backed by an array of its element type, so operators read it without a copy. */
    static Tensor allocate(DataType type, long[] shape) {
        int n = Math.toIntExact(Tensor.elementCount(shape));
        MemorySegment seg = switch (type) {
            case FLOAT32 -> MemorySegment.ofArray(new float[n]);
            case INT64 -> MemorySegment.ofArray(new long[n]);
            case INT32 -> MemorySegment.ofArray(new int[n]);
            case FLOAT64 -> MemorySegment.ofArray(new double[n]);
            default -> MemorySegment.ofArray(new byte[Math.toIntExact(elementBytes(type, n))]);
        };
        return Tensor.wrap(type, seg, shape);
    }

    private static long elementBytes(DataType type, long count) {
        if (type.bits() < 8) throw new IllegalArgumentException(type + " tensors cannot be sliced or stacked here");
        return type.byteSize(count);
    }

    private static long prod(long[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }
}
