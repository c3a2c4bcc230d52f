package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedF32;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * Gemm on fp32: Y = alpha·A'·B' + beta·C, with A' = transA ? Aᵀ : A, B' likewise, and C
 * broadcast to [M, N]. A constant B is packed once (transB is the packing's own transposed form);
 * the output starts as beta·C and the product is added onto it, scaled by alpha when alpha ≠ 1.
 */
final class GemmOps {
    private GemmOps() {}

    static void register(OpRegistry r) {
        r.register("Gemm", GemmOps::gemm);
    }

    private record Attrs(float alpha, float beta, boolean transA, boolean transB) {}

    private static Op gemm(NodeSetup s) {
        Attrs at = new Attrs(s.attributes().getFloat("alpha", 1f), s.attributes().getFloat("beta", 1f),
                s.attributes().getInt("transA", 0) != 0, s.attributes().getInt("transB", 0) != 0);
        Tensor b = s.constant(1);
        if (b != null && b.dtype() == DataType.FLOAT32 && b.rank() == 2) {
            int k = Math.toIntExact(b.dim(at.transB ? 1 : 0)), n = Math.toIntExact(b.dim(at.transB ? 0 : 1));
            PackedF32 packed = k > 0 && n > 0 ? s.kernels().packF32(k, n, b.data(), 0, Math.toIntExact(b.dim(1)), at.transB) : null;
            return (in, ctx) -> new Tensor[] {run(ctx.kernels(), at, in[0], null, packed, k, n, c(in))};
        }
        return (in, ctx) -> new Tensor[] {run(ctx.kernels(), at, in[0], in[1], null, 0, 0, c(in))};
    }

    private static Tensor c(Tensor[] in) { return in.length > 2 ? in[2] : null; }

    private static Tensor run(Kernels kern, Attrs at, Tensor a, Tensor b, PackedF32 packed, int pk, int pn, Tensor c) {
        if (a.dtype() != DataType.FLOAT32) throw new IllegalArgumentException("Gemm supports float32, got " + a.dtype());
        if (a.rank() != 2) throw new IllegalArgumentException("Gemm A must be 2-D, got " + Arrays.toString(a.shape()));
        int m = Math.toIntExact(a.dim(at.transA ? 1 : 0)), k = Math.toIntExact(a.dim(at.transA ? 0 : 1));
        int n;
        if (b != null) {
            if (b.rank() != 2) throw new IllegalArgumentException("Gemm B must be 2-D, got " + Arrays.toString(b.shape()));
            int kb = Math.toIntExact(b.dim(at.transB ? 1 : 0));
            n = Math.toIntExact(b.dim(at.transB ? 0 : 1));
            if (kb != k) throw new IllegalArgumentException("Gemm: A " + Arrays.toString(a.shape()) + " and B " + Arrays.toString(b.shape()) + " do not multiply");
        } else {
            n = pn;
            if (pk != k) throw new IllegalArgumentException("Gemm: A " + Arrays.toString(a.shape()) + " does not match the constant B's depth " + pk);
        }
        float[] y = new float[Math.multiplyExact(m, n)];
        boolean hasC = c != null && at.beta != 0f;
        if (hasC) fillC(c, at.beta, m, n, y);
        if (m > 0 && n > 0 && k > 0) {
            float[] x = Tensors.floats(a);
            if (at.transA) x = transposed(x, k, m);
            float[] acc = at.alpha == 1f ? y : new float[y.length];
            if (packed != null) kern.sgemm(m, x, 0, k, packed, acc, 0, n, at.alpha == 1f && hasC);
            else {
                float[] w = Tensors.floats(b);
                if (at.transB) w = transposed(w, n, k);
                kern.sgemm(m, n, k, x, 0, k, w, 0, n, acc, 0, n, at.alpha == 1f && hasC);
            }
            if (acc != y) for (int i = 0; i < y.length; i++) y[i] += at.alpha * acc[i];
        }
        return Tensors.ofFloats(y, m, n);
    }

    /** y = beta·C broadcast (unidirectionally) to [m, n]. */
    private static void fillC(Tensor c, float beta, int m, int n, float[] y) {
        long[] target = {m, n};
        if (!Arrays.equals(Broadcast.shape(c.shape(), target), target))
            throw new IllegalArgumentException("Gemm C " + Arrays.toString(c.shape()) + " does not broadcast to [" + m + ", " + n + "]");
        float[] cv = Tensors.toFloats(c);
        Broadcast.of(target, c.shape()).forEachRun((oo, ao, as, bo, bs, len) -> {
            for (int i = 0; i < len; i++) y[oo + i] = beta * cv[bo + i * bs];
        });
    }

    /** The [cols × rows] transpose of a row-major [rows × cols] matrix. */
    static float[] transposed(float[] src, int rows, int cols) {
        float[] t = new float[src.length];
        transpose(src, 0, rows, cols, t);
        return t;
    }

    /** dst[cols × rows] = src[rows × cols]ᵀ (src from {@code off}), in 32×32 tiles so both sides stay in cache. */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++)
                    for (int cc = c0; cc < c1; cc++) dst[cc * rows + r] = src[off + r * cols + cc];
            }
        }
    }
}
