package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Epilogues;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * ConvInteger (int32 out) and QLinearConv (requantized 8-bit out), 1-D to 3-D with groups, strides,
 * dilations and padding. Each group is one exact integer GEMM over a byte im2col matrix whose padded
 * taps hold the input zero-point (so they contribute 0):
 *
 * <pre>
 *   col [outPositions × (C/group)·kernelTaps]  ·  Wᵀ [(C/group)·kernelTaps × M/group]  →  acc [outPositions × M/group]
 * </pre>
 * Constant weights are packed once per group when the session is prepared.
 */
final class IntConvOps {
    private IntConvOps() {}

    static void register(OpRegistry r) {
        r.register("ConvInteger", s -> create(s, false));
        r.register("QLinearConv", s -> create(s, true));
    }

    private static Op create(NodeSetup s, boolean qlinear) {
        int wIdx = qlinear ? 3 : 1, wzIdx = qlinear ? 5 : 3;
        int group = Math.toIntExact(s.attributes().getInt("group", 1));
        Window.Spec spec = Window.Spec.of(s);
        Tensor w0 = s.constant(wIdx);
        boolean wzConst = s.node().input(wzIdx).isEmpty() || s.isConstant(wzIdx);
        PackedI8[] packed = w0 != null && wzConst ? packGroups(s.kernels(), w0, IntMatMulOps.zeros(s.constant(wzIdx)), group) : null;
        return (in, ctx) -> {
            Tensor x = in[0], w = in[wIdx];
            int[] xz = IntMatMulOps.zeros(qlinear ? in[2] : in.length > 2 ? in[2] : null);
            int[] wz = IntMatMulOps.zeros(in.length > wzIdx ? in[wzIdx] : null);
            if (xz.length != 1) throw s.error("the input zero-point must be a scalar");
            long[] xs = x.shape(), ws = w.shape();
            if (xs.length < 3 || ws.length != xs.length) throw s.error("x " + Arrays.toString(xs) + " and w " + Arrays.toString(ws) + " do not fit a convolution");
            int m = Math.toIntExact(ws[0]), cg = Math.toIntExact(ws[1]), c = Math.toIntExact(xs[1]);
            if (c != cg * group || m % group != 0) throw s.error("channels " + c + ", weight " + Arrays.toString(ws) + " and group " + group + " do not agree");
            Window win;
            try {
                win = spec.resolve(Arrays.copyOfRange(xs, 2, xs.length), Arrays.copyOfRange(ws, 2, ws.length));
            } catch (IllegalArgumentException e) {
                throw s.error(e.getMessage());
            }
            PackedI8[] p = packed != null ? packed : packGroups(ctx.kernels(), w, wz, group);
            int[] acc = convolve(ctx.kernels(), x, xz[0], p, win, group, m);
            long[] os = win.outShape(xs[0], m, xs.length);
            if (!qlinear) return new Tensor[] {Tensors.ofInts(acc, os)};
            return new Tensor[] {requantize(s, acc, os, in)};
        };
    }

    static PackedI8[] packGroups(Kernels kernels, Tensor w, int[] wz, int group) {
        int m = Math.toIntExact(w.dim(0)), mg = m / group;
        int kc = Math.toIntExact(w.elementCount() / Math.max(1, m));
        if (wz.length != 1 && wz.length != m) throw new IllegalArgumentException(m + " output channels but " + wz.length + " weight zero-points");
        byte[] b = Tensors.bytes(w);
        boolean u = Int8MatMul.isUnsigned(w);
        PackedI8[] p = new PackedI8[group];
        for (int g = 0; g < group; g++) {
            int[] z = wz.length == 1 ? wz : Arrays.copyOfRange(wz, g * mg, (g + 1) * mg);
            if (kc > 0 && mg > 0) p[g] = Int8MatMul.pack(kernels, b, g * mg * kc, u, kc, mg, z, true);
        }
        return p;
    }

    /** The int32 accumulators in NC(spatial) order. */
    static int[] convolve(Kernels kernels, Tensor x, int xz, PackedI8[] packed, Window w, int group, int m) {
        boolean u = Int8MatMul.isUnsigned(x);
        byte[] xb = Tensors.bytes(x);
        int n = Math.toIntExact(x.dim(0)), c = Math.toIntExact(x.dim(1)), cg = c / group, mg = m / group;
        int pos = w.outSize(), taps = w.kernelSize(), kc = cg * taps, inSize = w.inSize();
        int[] out = new int[Math.multiplyExact(n, Math.multiplyExact(m, pos))];
        byte[] col = new byte[Math.multiplyExact(pos, kc)];
        int[] acc = new int[Math.multiplyExact(pos, mg)];
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < group; g++) {
                if (pos == 0 || mg == 0) continue;
                if (kc == 0) continue;
                im2col(xb, (b * c + g * cg) * inSize, cg, (byte) xz, w, col);
                kernels.gemmI8(pos, col, 0, kc, u, xz, packed[g], new Epilogue.ToInt32(acc, 0, mg));
                int base = (b * m + g * mg) * pos;
                for (int p = 0; p < pos; p++)
                    for (int j = 0; j < mg; j++) out[base + j * pos + p] = acc[p * mg + j];
            }
        }
        return out;
    }

    /** col[p][ch·taps + t] = x[ch] at the input position of output p and tap t, or the zero-point in the padding. */
    private static void im2col(byte[] x, int xOff, int channels, byte pad, Window w, byte[] col) {
        int taps = w.kernelSize(), kc = channels * taps, inSize = w.inSize();
        if (taps == 1 && w.outSize() == inSize && isPlain(w)) {
            // 1×1, stride 1, no padding: im2col is the transpose [channels × positions] → [positions × channels].
            for (int ch = 0; ch < channels; ch++)
                for (int p = 0, src = xOff + ch * inSize; p < inSize; p++) col[p * channels + ch] = x[src + p];
            return;
        }
        int p = 0;
        for (int o0 = 0; o0 < w.out()[0]; o0++)
            for (int o1 = 0; o1 < w.out()[1]; o1++)
                for (int o2 = 0; o2 < w.out()[2]; o2++, p++) {
                    int row = p * kc;
                    for (int ch = 0; ch < channels; ch++) {
                        int src = xOff + ch * inSize, t = row + ch * taps;
                        for (int k0 = 0; k0 < w.kernel()[0]; k0++) {
                            int i0 = o0 * w.strides()[0] - w.padBegin()[0] + k0 * w.dilations()[0];
                            for (int k1 = 0; k1 < w.kernel()[1]; k1++) {
                                int i1 = o1 * w.strides()[1] - w.padBegin()[1] + k1 * w.dilations()[1];
                                for (int k2 = 0; k2 < w.kernel()[2]; k2++, t++) {
                                    int i2 = o2 * w.strides()[2] - w.padBegin()[2] + k2 * w.dilations()[2];
                                    boolean inside = i0 >= 0 && i0 < w.in()[0] && i1 >= 0 && i1 < w.in()[1] && i2 >= 0 && i2 < w.in()[2];
                                    col[t] = inside ? x[src + (i0 * w.in()[1] + i1) * w.in()[2] + i2] : pad;
                                }
                            }
                        }
                    }
                }
    }

    private static boolean isPlain(Window w) {
        for (int i = 0; i < 3; i++) if (w.strides()[i] != 1 || w.padBegin()[i] != 0) return false;
        return true;
    }

    /** QLinearConv's output: (acc + bias[m])·(x_scale·w_scale[m] / y_scale), rounded, plus y_zero_point. */
    private static Tensor requantize(NodeSetup s, int[] acc, long[] os, Tensor[] in) {
        float xs = Tensors.toFloats(in[1])[0], ys = Tensors.toFloats(in[6])[0];
        float[] wsc = Tensors.toFloats(in[4]);
        int m = Math.toIntExact(os[1]), pos = m == 0 ? 0 : (int) (Tensor.elementCount(os) / os[0] / m);
        if (wsc.length != 1 && wsc.length != m) throw s.error(m + " output channels but " + wsc.length + " weight scales");
        int[] bias = in.length > 8 && in[8] != null ? Tensors.ints(in[8]) : null;
        if (bias != null && bias.length != m) throw s.error(m + " output channels but " + bias.length + " biases");
        Tensor yz = in[7];
        boolean u = Int8MatMul.isUnsigned(yz);
        int zp = QuantOps.ints(yz)[0];
        float[] mul = new float[m];
        for (int j = 0; j < m; j++) mul[j] = xs * wsc[wsc.length == 1 ? 0 : j] / ys;
        byte[] out = new byte[acc.length];
        // Rows are (batch, channel) pairs: one channel's positions share its bias and multiplier.
        int rows = pos == 0 ? 0 : acc.length / pos;
        for (int r = 0; r < rows; r++) {
            int ch = r % m;
            Epilogues.apply(new Epilogue.ToInt8(out, r * pos, pos, bias == null ? null : filled(pos, bias[ch]),
                    new float[] {mul[ch]}, zp, u ? 0 : -128, u ? 255 : 127), acc, r * pos, 0, 1, pos);
        }
        return Tensors.ofBytes(yz.dtype() == DataType.UINT8 ? DataType.UINT8 : DataType.INT8, out, os);
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }
}
