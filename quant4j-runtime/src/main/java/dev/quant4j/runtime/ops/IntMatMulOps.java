package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Epilogues;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;

/**
 * The integer matrix products: MatMulInteger (int32 out), QLinearMatMul (requantized 8-bit out)
 * and com.microsoft DynamicQuantizeMatMul (fp32 A quantized to uint8 per run, fp32 out). A constant
 * 2-D B with constant zero-points is packed once when the session is prepared.
 */
final class IntMatMulOps {
    private IntMatMulOps() {}

    static void register(OpRegistry r) {
        r.register("MatMulInteger", IntMatMulOps::matMulInteger);
        r.register("QLinearMatMul", IntMatMulOps::qLinearMatMul);
        r.register(OpRegistry.MS_DOMAIN, "DynamicQuantizeMatMul", IntMatMulOps::dynamicQuantizeMatMul);
    }

    /** Inputs {@code b} (and {@code bZero}, may be -1 for none) packed once when both are constant and B is 2-D. */
    private static PackedI8 packConstant(NodeSetup s, int b, int bZero) {
        Tensor w = s.constant(b);
        boolean zConst = bZero < 0 || s.node().inputs().size() <= bZero || s.node().input(bZero).isEmpty() || s.isConstant(bZero);
        if (w == null || w.rank() != 2 || !zConst) return null;
        Tensor z = bZero < 0 ? null : optional(s, bZero);
        int k = Math.toIntExact(w.dim(0)), n = Math.toIntExact(w.dim(1));
        if (k == 0 || n == 0) return null;
        try {
            return Int8MatMul.pack(s.kernels(), Tensors.bytes(w), 0, Int8MatMul.isUnsigned(w), k, n, zeros(z));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static Tensor optional(NodeSetup s, int i) {
        return s.node().inputs().size() > i ? s.constant(i) : null;
    }

    static int[] zeros(Tensor z) {
        return z == null ? new int[] {0} : QuantOps.ints(z);
    }

    private static Tensor in(Tensor[] in, int i) { return in.length > i ? in[i] : null; }

    private static Op matMulInteger(NodeSetup s) {
        PackedI8 packed = packConstant(s, 1, 3);
        return (in, ctx) -> {
            Int8MatMul.Result r = Int8MatMul.multiply(ctx.kernels(), in[0], zeros(in(in, 2)), in[1], packed, zeros(in(in, 3)));
            return new Tensor[] {Tensors.ofInts(r.acc(), r.shape())};
        };
    }

    private static Op qLinearMatMul(NodeSetup s) {
        PackedI8 packed = packConstant(s, 3, 5);
        return (in, ctx) -> {
            Int8MatMul.Result r = Int8MatMul.multiply(ctx.kernels(), in[0], zeros(in[2]), in[3], packed, zeros(in[5]));
            float[] as = Tensors.toFloats(in[1]), bs = Tensors.toFloats(in[4]), ys = Tensors.toFloats(in[6]);
            if (as.length != 1 || ys.length != 1) throw s.error("a_scale and y_scale must be scalars");
            float[] mul = new float[bs.length];
            for (int j = 0; j < mul.length; j++) mul[j] = as[0] * bs[j] / ys[0];
            return new Tensor[] {requantize(r, mul, in[7])};
        };
    }

    /** acc·multiplier rounded half to even, plus the zero-point, clamped to the zero-point's type. */
    static Tensor requantize(Int8MatMul.Result r, float[] mul, Tensor yZero) {
        DataType t = yZero.dtype();
        boolean u = Int8MatMul.isUnsigned(yZero);
        int zp = QuantOps.ints(yZero)[0];
        byte[] out = new byte[r.acc().length];
        if (r.n() > 0)
            Epilogues.apply(new Epilogue.ToInt8(out, 0, r.n(), null, mul, zp, u ? 0 : -128, u ? 255 : 127), r.acc(), 0, 0, r.rows(), r.n());
        return Tensors.ofBytes(t, out, r.shape());
    }

    /**
     * DynamicQuantizeMatMul(A, B, b_scale, b_zero_point?, bias?): A quantized as DynamicQuantizeLinear
     * does, then Y = acc·(a_scale·b_scale[j]) + bias[j].
     */
    private static Op dynamicQuantizeMatMul(NodeSetup s) {
        PackedI8 packed = packConstant(s, 1, 3);
        return (in, ctx) -> {
            Tensor[] q = QuantOps.dynamicQuantize(in[0]);
            float aScale = Tensors.floats(q[1])[0];
            int aZero = Tensors.bytes(q[2])[0] & 0xFF;
            Int8MatMul.Result r = Int8MatMul.multiply(ctx.kernels(), q[0], new int[] {aZero}, in[1], packed, zeros(in(in, 3)));
            float[] bs = Tensors.toFloats(in[2]);
            float[] scale = new float[bs.length];
            for (int j = 0; j < scale.length; j++) scale[j] = aScale * bs[j];
            Tensor bias = in(in, 4);
            float[] y = new float[r.acc().length];
            if (r.n() > 0)
                Epilogues.apply(new Epilogue.ToFloat(y, 0, r.n(), scale, bias == null ? null : Tensors.floats(bias)), r.acc(), 0, 0, r.rows(), r.n());
            return new Tensor[] {Tensors.ofFloats(y, r.shape())};
        };
    }
}
