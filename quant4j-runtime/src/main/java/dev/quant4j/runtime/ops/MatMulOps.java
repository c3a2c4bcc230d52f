package dev.quant4j.runtime.ops;

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
 * MatMul with numpy semantics on fp32. A constant 2-D right operand (a weight) is packed once when
 * the session is prepared and every row of every batch of A runs through one packed GEMM.
 */
final class MatMulOps {
    private MatMulOps() {}

    static void register(OpRegistry r) {
        r.register("MatMul", MatMulOps::matMul);
    }

    private static Op matMul(NodeSetup s) {
        Tensor w = s.constant(1);
        if (w != null && w.rank() == 2 && w.dtype() == dev.quant4j.core.DataType.FLOAT32) {
            int k = Math.toIntExact(w.dim(0)), n = Math.toIntExact(w.dim(1));
            PackedF32 packed = s.kernels().packF32(k, n, w.data(), 0, n, false);
            return (in, ctx) -> new Tensor[] {packedMatMul(ctx.kernels(), in[0], packed, k, n)};
        }
        return (in, ctx) -> new Tensor[] {matMul(ctx.kernels(), in[0], in[1])};
    }

    static Tensor packedMatMul(Kernels kernels, Tensor a, PackedF32 b, int k, int n) {
        long[] as = a.shape();
        if (as.length == 0 || as[as.length - 1] != k)
            throw new IllegalArgumentException("MatMul: A " + Arrays.toString(as) + " does not match B [" + k + ", " + n + "]");
        float[] x = Tensors.floats(a);
        int m = k == 0 ? 0 : x.length / k;
        float[] y = new float[Math.multiplyExact(m, n)];
        if (m > 0 && n > 0) kernels.sgemm(m, x, 0, k, b, y, 0, n, false);
        long[] os = as.length == 1 ? new long[] {n} : as.clone();
        if (as.length > 1) os[os.length - 1] = n;
        return Tensors.ofFloats(y, os);
    }

    static Tensor matMul(Kernels kernels, Tensor a, Tensor b) {
        MatMulShape sh = MatMulShape.of(a.shape(), b.shape(), "MatMul");
        int m = sh.m(), k = sh.k(), n = sh.n();
        Broadcast bc = sh.batch();
        float[] x = Tensors.floats(a), w = Tensors.floats(b);
        float[] y = new float[Math.multiplyExact(bc.size(), m * n)];
        bc.forEachRun((oo, ao, sa, bo, sb, len) -> {
            for (int i = 0; i < len; i++) {
                int ob = oo + i, ia = ao + i * sa, ib = bo + i * sb;
                if (m > 0 && n > 0) {
                    if (k == 0) continue;
                    kernels.sgemm(m, n, k, x, ia * m * k, k, w, ib * k * n, n, y, ob * m * n, n, false);
                }
            }
        });
        return Tensors.ofFloats(y, sh.outShape());
    }
}
