package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.lang.foreign.MemorySegment;

/**
 * com.microsoft MatMulNBits: Y = A·Wᵀ (+ bias) with W [N×K] stored as 4- or 8-bit codes in blocks
 * along K, which is exactly the layout of the kernels' {@link BlockQuantizedMatrix}:
 *
 * <pre>
 *   B            uint8 [N, blocks, blockSize·bits/8]   codes, low nibble first
 *   scales       float [N·blocks]
 *   zero_points  uint8 [N·ceil(blocks·bits/8)]          codes packed as B's (optional; else 2^(bits−1))
 * </pre>
 * The matrix is built once when B, scales and zero-points are constant; the product runs through
 * {@code gemvQ}/{@code gemmQ}, which read the codes directly. g_idx (act-order) and float
 * zero-points are rejected as unsupported.
 */
final class MatMulNBitsOps {
    private MatMulNBitsOps() {}

    static void register(OpRegistry r) {
        r.register(OpRegistry.MS_DOMAIN, "MatMulNBits", MatMulNBitsOps::create);
    }

    private static Op create(NodeSetup s) {
        int k = Math.toIntExact(s.attributes().getInt("K", 0)), n = Math.toIntExact(s.attributes().getInt("N", 0));
        int bits = Math.toIntExact(s.attributes().getInt("bits", 4)), block = Math.toIntExact(s.attributes().getInt("block_size", 0));
        if (k <= 0 || n <= 0 || block <= 0) throw s.error("attributes K, N and block_size must be positive");
        if (!s.node().input(4).isEmpty()) throw s.error("g_idx (act-order) is not supported");
        boolean constant = s.isConstant(1) && s.isConstant(2) && (s.node().input(3).isEmpty() || s.isConstant(3));
        BlockQuantizedMatrix fixed = constant ? matrix(s, s.constant(1), s.constant(2), s.constant(3), k, n, bits, block) : null;
        return (in, ctx) -> {
            BlockQuantizedMatrix w = fixed != null ? fixed : matrix(s, in[1], in[2], in.length > 3 ? in[3] : null, k, n, bits, block);
            Tensor a = in[0];
            long[] as = a.shape();
            if (as.length == 0 || as[as.length - 1] != k) throw s.error("A " + java.util.Arrays.toString(as) + " does not end in K = " + k);
            float[] x = Tensors.floats(a);
            int m = x.length / k;
            float[] y = new float[Math.multiplyExact(m, n)];
            if (m == 1) ctx.kernels().gemvQ(w, x, 0, y, 0);
            else if (m > 1) ctx.kernels().gemmQ(m, x, 0, k, w, y, 0, n);
            Tensor bias = in.length > 5 ? in[5] : null;
            if (bias != null) {
                float[] b = Tensors.floats(bias);
                if (b.length != n) throw s.error("bias has " + b.length + " values, N = " + n);
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) y[i * n + j] += b[j];
            }
            long[] os = as.clone();
            os[os.length - 1] = n;
            return new Tensor[] {Tensors.ofFloats(y, os)};
        };
    }

    static BlockQuantizedMatrix matrix(NodeSetup s, Tensor b, Tensor scales, Tensor zp, int k, int n, int bits, int block) {
        if (b.dtype() != DataType.UINT8) throw s.error("B must be UINT8, got " + b.dtype());
        int blocks = (k + block - 1) / block;
        long blob = (long) block * bits / 8;
        if (b.elementCount() != (long) n * blocks * blob)
            throw s.error("B has " + b.elementCount() + " bytes, N·blocks·blob = " + (long) n * blocks * blob);
        float[] sc = Tensors.toFloats(scales);
        if (sc.length != (long) n * blocks) throw s.error("scales has " + sc.length + " values, needs " + (long) n * blocks);
        byte[] z = null;
        if (zp != null) {
            if (zp.dtype() != DataType.UINT8) throw s.error("zero_points of type " + zp.dtype() + " are not supported (only packed UINT8)");
            byte[] packed = Tensors.bytes(zp);
            int perRow = (blocks * bits + 7) / 8;
            if (packed.length != (long) n * perRow) throw s.error("zero_points has " + packed.length + " bytes, needs " + (long) n * perRow);
            z = new byte[n * blocks];
            for (int r = 0; r < n; r++)
                for (int j = 0; j < blocks; j++) {
                    int v = bits == 8 ? packed[r * perRow + j] & 0xFF : (packed[r * perRow + j / 2] >> ((j & 1) * 4)) & 0xF;
                    z[r * blocks + j] = (byte) v;
                }
        }
        try {
            return new BlockQuantizedMatrix(n, k, bits, block, MemorySegment.ofArray(Tensors.bytes(b)), sc, z);
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }
}
