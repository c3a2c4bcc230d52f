package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * Conv (fp32, 1-D to 3-D, groups, dilations, strides, explicit and automatic padding, bias).
 *
 * <p>Three paths, chosen per node and shape:
 * <ul>
 *   <li>one input channel per group, groups > 1 (depthwise, also with a channel multiplier), 1-D/2-D:
 *       {@link DepthwiseConv}, planes split across threads;</li>
 *   <li>otherwise: im2col into [C·K × positions] and Y[M×positions] = W[M×C·K]·col by the kernels'
 *       GEMM (a 1×1 stride-1 unpadded conv uses the input itself as col);</li>
 *   <li>a constant weight and fewer output positions than a kernel panel is wide:
 *       {@link FewPositionsConv}, positions as rows against the weight packed once.</li>
 * </ul>
 * The output is pre-filled with the bias and the GEMM accumulates onto it. Packing the constant
 * weight once as the GEMM's right operand (positions as rows, output channels as columns) was
 * measured slower on every pointwise layer of PP-OCRv4 rec (64–240 channels: 1.9–11.6× ONNX
 * Runtime's time against 1.45–1.94× this way, ConvBench, one thread): the kernels' panels are
 * 16–64 columns wide and their left operand is expanded per lane, which costs more than packing
 * the image. So the weight stays the left operand, except when there are too few positions.
 */
final class ConvOps {
    private ConvOps() {}

    static void register(OpRegistry r) {
        r.register("Conv", ConvOps::conv);
    }

    private static Op conv(NodeSetup s) {
        Window.Spec spec = Window.Spec.of(s);
        int group = Math.toIntExact(s.attributes().getInt("group", 1));
        if (group < 1) throw s.error("group must be positive, got " + group);
        Tensor w = s.constant(1), b = s.constant(2);
        if (w != null && w.dtype() == DataType.FLOAT32) {
            float[] wv = Tensors.floats(w).clone();
            long[] ws = w.shape();
            float[] bias = b == null ? null : Tensors.floats(b);
            boolean biasInput = b == null && s.node().hasInput(2);
            FewPositionsConv few = ws.length >= 3 && ws[0] % group == 0 ? new FewPositionsConv(wv, Math.toIntExact(ws[0]), group) : null;
            return (in, ctx) -> new Tensor[] {conv(ctx.kernels(), in[0], wv, ws, biasInput ? Tensors.floats(in[2]) : bias, group, spec, few)};
        }
        return (in, ctx) -> new Tensor[] {conv(ctx.kernels(), in[0], Tensors.floats(in[1]), in[1].shape(),
                in.length > 2 && in[2] != null ? Tensors.floats(in[2]) : null, group, spec, null)};
    }

    static Tensor conv(Kernels k, Tensor x, float[] w, long[] ws, float[] bias, int group, Window.Spec spec, FewPositionsConv few) {
        long[] xs = x.shape();
        int rank = xs.length;
        if (rank < 3 || rank > 5) throw new IllegalArgumentException("Conv input must have rank 3 to 5, got " + Arrays.toString(xs));
        if (ws.length != rank) throw new IllegalArgumentException("Conv weight " + Arrays.toString(ws) + " does not match input " + Arrays.toString(xs));
        int n = Math.toIntExact(xs[0]), c = Math.toIntExact(xs[1]), m = Math.toIntExact(ws[0]), cg = Math.toIntExact(ws[1]);
        if (cg * group != c || m % group != 0)
            throw new IllegalArgumentException("Conv: input channels " + c + ", weight " + Arrays.toString(ws) + " and group " + group + " do not agree");
        long[] kernel = Arrays.copyOfRange(ws, 2, rank);
        if (spec.kernelShape() != null && !Arrays.equals(spec.kernelShape(), kernel))
            throw new IllegalArgumentException("kernel_shape " + Arrays.toString(spec.kernelShape()) + " differs from the weight's " + Arrays.toString(kernel));
        if (bias != null && bias.length != m) throw new IllegalArgumentException("Conv bias has " + bias.length + " values for " + m + " output channels");
        Window win = spec.resolve(Arrays.copyOfRange(xs, 2, rank), kernel);
        float[] xv = Tensors.floats(x);
        int osp = win.outSize();
        float[] y = new float[Math.multiplyExact(Math.multiplyExact(n, m), osp)];
        if (bias != null) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) Arrays.fill(y, (i * m + j) * osp, (i * m + j + 1) * osp, bias[j]);
        }
        if (osp > 0) {
            // A single-channel input without groups (an audio front end's filter bank: 258 filters
            // of 256 taps at stride 128) is one GEMM of depth K; per-plane taps would redo the
            // input M times.
            if (cg == 1 && group > 1 && rank <= 4) DepthwiseConv.run(k.threads(), xv, n, c, w, m, win, y);
            else if (few != null && osp < FewPositionsConv.MAX_POSITIONS) few.run(k, xv, n, win, y);
            else im2colGemm(k, xv, n, c, w, m, group, win, y);
        }
        return Tensors.ofFloats(y, win.outShape(n, m, rank));
    }

    private static void im2colGemm(Kernels k, float[] x, int n, int c, float[] w, int m, int group, Window win, float[] y) {
        int cg = c / group, mg = m / group, kk = win.kernelSize(), isp = win.inSize(), osp = win.outSize();
        int depth = Math.multiplyExact(cg, kk);
        boolean direct = kk == 1 && isIdentity(win);
        float[] col = direct ? null : new float[Math.multiplyExact(depth, osp)];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < group; g++) {
                int xOff = (i * c + g * cg) * isp;
                float[] b = x;
                int bOff = xOff, ldb = isp;
                if (!direct) {
                    Im2col.fill(k.threads(), x, xOff, cg, win, col);
                    b = col;
                    bOff = 0;
                    ldb = osp;
                }
                k.sgemm(mg, osp, depth, w, g * mg * depth, depth, b, bOff, ldb, y, (i * m + g * mg) * osp, osp, true);
            }
        }
    }

    /** Whether every output position is its input position (stride 1, no padding). */
    static boolean isIdentity(Window w) {
        for (int d = 0; d < 3; d++)
            if (w.strides()[d] != 1 || w.padBegin()[d] != 0 || w.padEnd()[d] != 0 || w.in()[d] != w.out()[d]) return false;
        return true;
    }
}
