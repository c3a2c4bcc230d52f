package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongBinaryOperator;

/**
 * Evaluation of small integer tensors at inference time: the arithmetic of shape subgraphs
 * (Shape → Gather → Unsqueeze → Concat → Reshape and friends). Only tensors up to {@link #LIMIT}
 * elements are evaluated, so folding never materialises weights.
 */
final class Consts {
    static final long LIMIT = 1 << 16;

    private Consts() {}

    /** True for a small tensor of an integer or boolean type. */
    static boolean isSmallInt(Tensor t) {
        return t != null && (t.dtype().isInteger() || t.dtype() == DataType.BOOL)
                && t.dtype().bits() >= 8 && t.elementCount() <= LIMIT;
    }

    static boolean isSmall(Tensor t) {
        return t != null && t.dtype() != DataType.STRING && t.elementCount() <= LIMIT;
    }

    /** A tensor of {@code dtype} (an integer type or BOOL) from long values. */
    static Tensor fromLongs(DataType dtype, long[] v, long... shape) {
        if (dtype == DataType.INT64) return Tensor.ofLongs(v, shape);
        int w = dtype.bits() / 8;
        byte[] b = new byte[v.length * w];
        MemorySegment s = MemorySegment.ofArray(b);
        for (int i = 0; i < v.length; i++) for (int k = 0; k < w; k++) s.set(ValueLayout.JAVA_BYTE, (long) i * w + k, (byte) (v[i] >>> (8 * k)));
        return Tensor.ofBytes(dtype, b, shape);
    }

    /** Element-wise {@code op} with numpy broadcasting over two integer tensors. */
    static Tensor broadcast(Tensor a, Tensor b, DataType outType, LongBinaryOperator op) {
        long[] sa = a.shape(), sb = b.shape();
        int r = Math.max(sa.length, sb.length);
        long[] so = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i < r - sa.length ? 1 : sa[i - (r - sa.length)];
            long y = i < r - sb.length ? 1 : sb[i - (r - sb.length)];
            if (x != y && x != 1 && y != 1) throw new IllegalArgumentException("cannot broadcast");
            so[i] = x == 1 ? y : x;
        }
        long[] va = a.toLongs(), vb = b.toLongs();
        long[] out = new long[Math.toIntExact(Tensor.elementCount(so))];
        long[] idx = new long[r];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.applyAsLong(va[(int) flat(idx, sa, r)], vb[(int) flat(idx, sb, r)]);
            for (int d = r - 1; d >= 0; d--) { if (++idx[d] < so[d]) break; idx[d] = 0; }
        }
        return fromLongs(outType, out, so);
    }

    /** Flat index into a tensor of shape {@code s} (right-aligned, broadcast) at output index {@code idx}. */
    private static long flat(long[] idx, long[] s, int r) {
        long f = 0;
        for (int d = 0; d < s.length; d++) {
            long i = idx[d + r - s.length];
            f = f * s[d] + (s[d] == 1 ? 0 : i);
        }
        return f;
    }
}
