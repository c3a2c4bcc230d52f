package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import dev.quant4j.runtime.fusion.QdqFusion;
import java.util.Arrays;

/**
 * The fused static-QDQ linear operators made by {@link QdqFusion}: QdqMatMul, QdqGemm and QdqConv,
 * with inputs
 *
 * <pre>
 *   0 x_q  1 x_scale  2 x_zero_point  3 W_q  4 w_scale  5 w_zero_point?  6 B_int32?  7 B_float?  8 y_scale?  9 y_zero_point?
 * </pre>
 * The weight is packed once for the int8 GEMM; the activation codes go straight into it (no
 * dequantized copy), and {@link FusedOutput} requantizes or scales the int32 accumulators.
 */
final class FusedLinearOps {
    private FusedLinearOps() {}

    static void register(OpRegistry r) {
        r.register(QdqFusion.DOMAIN, "QdqMatMul", s -> matMul(s, false));
        r.register(QdqFusion.DOMAIN, "QdqGemm", s -> matMul(s, s.attributes().getInt("transB", 0) != 0));
        r.register(QdqFusion.DOMAIN, "QdqConv", FusedLinearOps::conv);
    }

    private static Op matMul(NodeSetup s, boolean transB) {
        Tensor w = FusedOutput.constant(s, 3);
        if (w.rank() != 2) throw s.error("weight must be 2-D, got " + Arrays.toString(w.shape()));
        int k = Math.toIntExact(w.dim(transB ? 1 : 0)), n = Math.toIntExact(w.dim(transB ? 0 : 1));
        int xz = zeroPoint(s);
        int[] wz = IntMatMulOps.zeros(s.node().hasInput(5) ? FusedOutput.constant(s, 5) : null);
        PackedI8 packed = k == 0 || n == 0 ? null
                : Int8MatMul.pack(s.kernels(), Tensors.bytes(w), 0, Int8MatMul.isUnsigned(w), k, n, wz, transB);
        FusedOutput out = new FusedOutput(s, n, 1, 4, 6, 8);
        return (in, ctx) -> {
            Tensor x = in[0];
            long[] xs = x.shape();
            if (xs.length == 0 || xs[xs.length - 1] != k) throw s.error("x " + Arrays.toString(xs) + " does not end in K = " + k);
            int rows = k == 0 ? 0 : Tensors.size(x) / k;
            Object y = out.quantized ? new byte[Math.multiplyExact(rows, n)] : new float[Math.multiplyExact(rows, n)];
            if (rows > 0 && packed != null)
                ctx.kernels().gemmI8(rows, Tensors.bytes(x), 0, k, Int8MatMul.isUnsigned(x), xz, packed, out.columns(y, 0, out.biasFloat(s, in, 7)));
            long[] ys = xs.clone();
            ys[ys.length - 1] = n;
            return new Tensor[] {out.tensor(y, ys)};
        };
    }

    private static Op conv(NodeSetup s) {
        Tensor w = FusedOutput.constant(s, 3);
        int group = Math.toIntExact(s.attributes().getInt("group", 1));
        int m = Math.toIntExact(w.dim(0));
        if (m % group != 0) throw s.error(m + " output channels do not split into " + group + " groups");
        int xz = zeroPoint(s);
        int[] wz = IntMatMulOps.zeros(s.node().hasInput(5) ? FusedOutput.constant(s, 5) : null);
        boolean depthwise = group == m && w.dim(1) == 1;
        PackedI8[] packed;
        DepthwiseInt8 dw;
        try {
            packed = depthwise ? null : IntConvOps.packGroups(s.kernels(), w, wz, group);
            dw = depthwise ? new DepthwiseInt8(w, wz) : null;
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
        Window.Spec spec = Window.Spec.of(s);
        FusedOutput out = new FusedOutput(s, m, 1, 4, 6, 8);
        long[] wShape = w.shape();
        return (in, ctx) -> {
            Tensor x = in[0];
            long[] xs = x.shape();
            if (xs.length != wShape.length || xs[1] != wShape[1] * group)
                throw s.error("x " + Arrays.toString(xs) + " does not fit weight " + Arrays.toString(wShape) + " with group " + group);
            Window win;
            try {
                win = spec.resolve(Arrays.copyOfRange(xs, 2, xs.length), Arrays.copyOfRange(wShape, 2, wShape.length));
            } catch (IllegalArgumentException e) {
                throw s.error(e.getMessage());
            }
            int[] acc = dw != null ? dw.convolve(x, xz, win) : IntConvOps.convolve(ctx.kernels(), x, xz, packed, win, group, m);
            return new Tensor[] {out.tensor(out.channelRows(acc, win.outSize(), out.biasFloat(s, in, 7)), win.outShape(xs[0], m, xs.length))};
        };
    }

    private static int zeroPoint(NodeSetup s) {
        int[] z = QuantOps.ints(FusedOutput.constant(s, 2));
        if (z.length != 1) throw s.error("the input zero-point must be one value");
        return z[0];
    }
}
