package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.Tensors;
import java.lang.foreign.MemorySegment;

/**
 * Exact int32 matrix products of 8-bit tensors with numpy MatMul semantics (batch broadcasting,
 * 1-D operands promoted), the common core of MatMulInteger, QLinearMatMul and
 * DynamicQuantizeMatMul. B runs through the kernels' packed int8 GEMM; a uint8 B is made signed by
 * flipping its top bit, which subtracts 128 from every code and from its zero-point alike:
 *
 * <pre>
 *   (b − zb) = ((b ^ 0x80) as int8) − (zb − 128)
 * </pre>
 */
final class Int8MatMul {
    private Int8MatMul() {}

    /** The int32 accumulators and the output shape of one product. */
    record Result(int[] acc, long[] shape, int rows, int n) {}

    /** Packs the [k×n] 8-bit matrix B at {@code off} with zero-points in B's own type. */
    static PackedI8 pack(Kernels kernels, byte[] b, int off, boolean unsigned, int k, int n, int[] zeroPoints) {
        return pack(kernels, b, off, unsigned, k, n, zeroPoints, false);
    }

    /** As {@link #pack(Kernels, byte[], int, boolean, int, int, int[])}; with {@code transposed}, b holds Bᵀ [n×k]. */
    static PackedI8 pack(Kernels kernels, byte[] b, int off, boolean unsigned, int k, int n, int[] zeroPoints, boolean transposed) {
        int[] z = zeroPoints.clone();
        MemorySegment seg;
        if (unsigned) {
            byte[] s = new byte[k * n];
            for (int i = 0; i < s.length; i++) s[i] = (byte) (b[off + i] ^ 0x80);
            for (int j = 0; j < z.length; j++) z[j] -= 128;
            seg = MemorySegment.ofArray(s);
            off = 0;
        } else {
            seg = MemorySegment.ofArray(b);
        }
        return kernels.packI8(k, n, seg, off, transposed ? k : n, transposed, z);
    }

    static boolean isUnsigned(Tensor t) {
        if (t.dtype() == DataType.UINT8) return true;
        if (t.dtype() == DataType.INT8) return false;
        throw new IllegalArgumentException("expected an INT8 or UINT8 tensor, got " + t.dtype());
    }

    /**
     * acc = (A − aZero)·(B − bZero). {@code aZero} has one value or one per row of A's matrices;
     * {@code bZero} one value or one per column. {@code packedB} is B packed once (2-D constant), or null.
     */
    static Result multiply(Kernels kernels, Tensor a, int[] aZero, Tensor b, PackedI8 packedB, int[] bZero) {
        boolean aU = isUnsigned(a), bU = isUnsigned(b);
        MatMulShape sh = MatMulShape.of(a.shape(), b.shape(), "matrix product");
        int m = sh.m(), k = sh.k(), n = sh.n();
        if (aZero.length != 1 && aZero.length != m) throw new IllegalArgumentException("A has " + m + " rows but " + aZero.length + " zero-points");
        if (bZero.length != 1 && bZero.length != n) throw new IllegalArgumentException("B has " + n + " columns but " + bZero.length + " zero-points");
        Broadcast bc = sh.batch();
        byte[] x = Tensors.bytes(a), w = Tensors.bytes(b);
        int[] acc = new int[Math.multiplyExact(bc.size(), Math.multiplyExact(m, n))];
        bc.forEachRun((oo, ao, sa, bo, sb, len) -> {
            for (int i = 0; i < len; i++) {
                int ob = oo + i, ia = ao + i * sa, ib = bo + i * sb;
                if (m == 0 || n == 0) continue;
                if (k == 0) continue;
                PackedI8 p = packedB != null ? packedB : pack(kernels, w, ib * k * n, bU, k, n, bZero);
                int aOff = ia * m * k, cOff = ob * m * n;
                if (aZero.length == 1) {
                    kernels.gemmI8(m, x, aOff, k, aU, aZero[0], p, new dev.quant4j.kernels.Epilogue.ToInt32(acc, cOff, n));
                } else {
                    for (int r = 0; r < m; r++)
                        kernels.gemmI8(1, x, aOff + r * k, k, aU, aZero[r], p, new dev.quant4j.kernels.Epilogue.ToInt32(acc, cOff + r * n, n));
                }
            }
        });
        return new Result(acc, sh.outShape(), n == 0 ? 0 : acc.length / n, n);
    }
}
