package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.Quantizer;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.runtime.Broadcast;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import dev.quant4j.runtime.fusion.QdqFusion;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The other fused operators made by {@link QdqFusion}:
 * <ul>
 *   <li>QdqAdd(a_q a_s a_z b_q b_s b_z y_s? y_z?) and QdqAddConst(a_q a_s a_z c y_s? y_z?) with a float
 *       constant addend: DQ, Add, Relu/Clip and Q in one pass, with the
 *       same float operations as the separate nodes (each code's dequantized value from a 256-entry table);
 *   <li>IntMatMulScaled(a_q W_q a_z w_z? s bias?): the int8 GEMM with a (float) acc·s[j] + bias[j] epilogue;
 *   <li>BlockedMatMul(x W_q scale zero_point?): a blocked-DQ weight (int4/int8, blocks along K)
 *       re-laid as a {@link BlockQuantizedMatrix} once, then gemvQ/gemmQ.
 * </ul>
 */
final class FusedElementOps {
    private FusedElementOps() {}

    static void register(OpRegistry r) {
        r.register(QdqFusion.DOMAIN, "QdqAdd", s -> add(s, false));
        r.register(QdqFusion.DOMAIN, "QdqAddConst", s -> add(s, true));
        r.register(QdqFusion.DOMAIN, "IntMatMulScaled", FusedElementOps::intMatMulScaled);
        r.register(QdqFusion.DOMAIN, "BlockedMatMul", FusedElementOps::blockedMatMul);
    }

    /** QdqAdd, or with {@code constant} QdqAddConst (b is a float constant, y_s y_z at 4, 5). */
    private static Op add(NodeSetup s, boolean constant) {
        float[] ta = table(s, 0), tb = constant ? null : table(s, 3);
        Tensor c = constant ? FusedOutput.constant(s, 3) : null;
        float[] cv = constant ? Tensors.floats(c) : null;
        int ys = constant ? 4 : 6;
        boolean quantized = s.node().hasInput(ys);
        float yScale = quantized ? FusedOutput.scalar(s, ys) : 1f;
        Tensor yzT = quantized ? FusedOutput.constant(s, ys + 1) : null;
        DataType outType = quantized ? yzT.dtype() : DataType.FLOAT32;
        int yz = quantized ? QuantOps.ints(yzT)[0] : 0;
        int qmin = quantized ? (int) outType.minValue() : 0, qmax = quantized ? (int) outType.maxValue() : 0;
        float lo = s.attributes().getFloat("act_min", Float.NEGATIVE_INFINITY), hi = s.attributes().getFloat("act_max", Float.POSITIVE_INFINITY);
        boolean act = s.attributes().has("act_min");
        return (in, ctx) -> {
            byte[] a = Tensors.bytes(in[0]), b = constant ? null : Tensors.bytes(in[3]);
            Broadcast bc = Broadcast.of(in[0].shape(), constant ? c.shape() : in[3].shape());
            byte[] q = quantized ? new byte[bc.size()] : null;
            float[] f = quantized ? null : new float[bc.size()];
            bc.forEachRun((o, ia, sa, ib, sb, n) -> {
                for (int i = 0; i < n; i++) {
                    float v = ta[a[ia + i * sa] & 0xFF] + (constant ? cv[ib + i * sb] : tb[b[ib + i * sb] & 0xFF]);
                    if (act) v = Math.min(Math.max(v, lo), hi);
                    if (quantized) q[o + i] = (byte) Quantizer.quantize(v, yScale, yz, qmin, qmax);
                    else f[o + i] = v;
                }
            });
            return new Tensor[] {quantized ? Tensors.ofBytes(outType, q, bc.outShape) : Tensors.ofFloats(f, bc.outShape)};
        };
    }

    /** The dequantized value of every byte pattern of the DQ at inputs {@code i..i+2}, indexed by the unsigned byte. */
    private static float[] table(NodeSetup s, int i) {
        float scale = FusedOutput.scalar(s, i + 1);
        Tensor z = FusedOutput.constant(s, i + 2);
        int zp = QuantOps.ints(z)[0];
        boolean signed = z.dtype() == DataType.INT8;
        float[] t = new float[256];
        for (int bits = 0; bits < 256; bits++) t[bits] = Quantizer.dequantize(signed ? (byte) bits : bits, scale, zp);
        return t;
    }

    private static Op intMatMulScaled(NodeSetup s) {
        Tensor w = FusedOutput.constant(s, 1);
        int k = Math.toIntExact(w.dim(0)), n = Math.toIntExact(w.dim(1));
        int[] wz = IntMatMulOps.zeros(s.node().hasInput(3) ? FusedOutput.constant(s, 3) : null);
        PackedI8 packed = k == 0 || n == 0 ? null : Int8MatMul.pack(s.kernels(), Tensors.bytes(w), 0, Int8MatMul.isUnsigned(w), k, n, wz);
        float[] bias = s.node().hasInput(5) ? Tensors.floats(FusedOutput.constant(s, 5)) : null;
        return (in, ctx) -> {
            Tensor a = in[0];
            long[] as = a.shape();
            if (as.length == 0 || as[as.length - 1] != k) throw s.error("A " + Arrays.toString(as) + " does not end in K = " + k);
            int[] az = IntMatMulOps.zeros(in[2]);
            if (az.length != 1) throw s.error("the A zero-point must be one value");
            float[] scale = Tensors.toFloats(in[4]);
            if (scale.length != 1 && scale.length != n) throw s.error("scale has " + scale.length + " values, N = " + n);
            int rows = k == 0 ? 0 : Tensors.size(a) / k;
            float[] y = new float[Math.multiplyExact(rows, n)];
            if (rows > 0 && packed != null)
                ctx.kernels().gemmI8(rows, Tensors.bytes(a), 0, k, Int8MatMul.isUnsigned(a), az[0], packed, new Epilogue.ToFloat(y, 0, n, scale, bias));
            else if (bias != null) for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, y, r * n, n);
            long[] ys = as.clone();
            ys[ys.length - 1] = n;
            return new Tensor[] {Tensors.ofFloats(y, ys)};
        };
    }

    private static Op blockedMatMul(NodeSetup s) {
        BlockQuantizedMatrix w = blocked(s);
        int k = w.cols(), n = w.rows();
        return (in, ctx) -> {
            long[] xs = in[0].shape();
            if (xs.length == 0 || xs[xs.length - 1] != k) throw s.error("x " + Arrays.toString(xs) + " does not end in K = " + k);
            float[] x = Tensors.floats(in[0]);
            int m = x.length / k;
            float[] y = new float[Math.multiplyExact(m, n)];
            if (m == 1) ctx.kernels().gemvQ(w, x, 0, y, 0);
            else if (m > 1) ctx.kernels().gemmQ(m, x, 0, k, w, y, 0, n);
            long[] ys = xs.clone();
            ys[ys.length - 1] = n;
            return new Tensor[] {Tensors.ofFloats(y, ys)};
        };
    }

    /**
     * W_q [K, N] with scales [K/B, N] (blocks along K) transposed into the kernels' layout: rows = N,
     * blocks along each row, unsigned codes (signed types shifted by 8 or 128, zero-points alike).
     */
    private static BlockQuantizedMatrix blocked(NodeSetup s) {
        Tensor wq = FusedOutput.constant(s, 1);
        float[] sc = Tensors.toFloats(FusedOutput.constant(s, 2));
        Tensor zt = s.node().hasInput(3) ? FusedOutput.constant(s, 3) : null;
        int block = Math.toIntExact(s.attributes().getInt("block_size", 0));
        int k = Math.toIntExact(wq.dim(0)), n = Math.toIntExact(wq.dim(1)), blocks = (k + block - 1) / block;
        DataType t = wq.dtype();
        int bits = t.bits(), shift = t.isSigned() ? 1 << (bits - 1) : 0;
        int[] codes = QuantOps.ints(wq), zp = zt == null ? null : QuantOps.ints(zt);
        if (codes.length != k * n || sc.length != blocks * n || (zp != null && zp.length != blocks * n))
            throw s.error("weight, scale and zero-point shapes do not agree with block size " + block);
        int rowBytes = blocks * block * bits / 8;
        byte[] data = new byte[Math.multiplyExact(n, rowBytes)];
        float[] scales = new float[n * blocks];
        byte[] zeros = zp == null && shift != 0 ? null : new byte[n * blocks];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                int code = codes[c * n + r] + shift;
                if (bits == 8) data[r * rowBytes + c] = (byte) code;
                else data[r * rowBytes + c / 2] |= (byte) ((code & 0xF) << ((c & 1) * 4));
            }
            for (int j = 0; j < blocks; j++) {
                scales[r * blocks + j] = sc[j * n + r];
                if (zeros != null) zeros[r * blocks + j] = (byte) ((zp == null ? 0 : zp[j * n + r]) + shift);
            }
        }
        try {
            return new BlockQuantizedMatrix(n, k, bits, block, MemorySegment.ofArray(data), scales, zeros);
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }
}
