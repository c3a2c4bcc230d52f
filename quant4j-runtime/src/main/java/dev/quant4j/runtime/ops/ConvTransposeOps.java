package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.Op;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.Arrays;

/**
 * ConvTranspose (fp32, 1-D to 3-D, groups, strides, dilations, pads, output_padding, output_shape,
 * auto_pad): per image and group, cols[Mg·K × positions] = Wgᵀ · Xg by GEMM, then each column
 * entry is added to the output position its tap reaches (col2im):
 *
 * <pre>
 *   y[m][i·s − padBegin + k·d] += cols[(m, k)][i]        (positions outside the output dropped)
 * </pre>
 */
final class ConvTransposeOps {
    private ConvTransposeOps() {}

    static void register(OpRegistry r) {
        r.register("ConvTranspose", ConvTransposeOps::convTranspose);
    }

    private record Attrs(long[] kernelShape, long[] strides, long[] dilations, long[] pads, long[] outputPadding, long[] outputShape, String autoPad, int group) {}

    private static Op convTranspose(NodeSetup s) {
        var a = s.attributes();
        Attrs at = new Attrs(a.getInts("kernel_shape"), a.getInts("strides"), a.getInts("dilations"), a.getInts("pads"),
                a.getInts("output_padding"), a.getInts("output_shape"), a.getString("auto_pad", "NOTSET"), Math.toIntExact(a.getInt("group", 1)));
        return (in, ctx) -> new Tensor[] {run(ctx.kernels(), at, in[0], in[1], in.length > 2 ? in[2] : null)};
    }

    private static Tensor run(Kernels k, Attrs at, Tensor x, Tensor wt, Tensor b) {
        long[] xs = x.shape(), ws = wt.shape();
        int rank = xs.length, r = rank - 2;
        if (r < 1 || r > 3 || ws.length != rank) throw new IllegalArgumentException("ConvTranspose: input " + Arrays.toString(xs) + " and weight " + Arrays.toString(ws) + " do not fit");
        int n = Math.toIntExact(xs[0]), c = Math.toIntExact(xs[1]), group = at.group;
        if (ws[0] != c || c % group != 0) throw new IllegalArgumentException("ConvTranspose: weight " + Arrays.toString(ws) + " does not match " + c + " input channels in " + group + " groups");
        int cg = c / group, mg = Math.toIntExact(ws[1]), m = mg * group;
        // "in" of this window is the output, "out" the input: Window.validLo/Hi then give, per tap,
        // the input positions whose target lies inside the output.
        int[] outDims = {1, 1, 1}, inDims = {1, 1, 1}, kern = {1, 1, 1}, str = {1, 1, 1}, dil = {1, 1, 1}, pb = new int[3], pe = new int[3];
        for (int i = 0; i < r; i++) {
            int d = 3 - r + i;
            inDims[d] = Math.toIntExact(xs[2 + i]);
            kern[d] = Math.toIntExact(ws[2 + i]);
            if (at.kernelShape != null && at.kernelShape[i] != kern[d]) throw new IllegalArgumentException("kernel_shape differs from the weight's");
            str[d] = at.strides == null ? 1 : Math.toIntExact(at.strides[i]);
            dil[d] = at.dilations == null ? 1 : Math.toIntExact(at.dilations[i]);
            int op = at.outputPadding == null ? 0 : Math.toIntExact(at.outputPadding[i]);
            int full = str[d] * (inDims[d] - 1) + op + (kern[d] - 1) * dil[d] + 1;
            if (at.outputShape != null || at.autoPad.startsWith("SAME")) {
                int target = at.outputShape != null ? Math.toIntExact(at.outputShape[at.outputShape.length - r + i]) : inDims[d] * str[d];
                // Padding is never negative: an output larger than the full result gets zeros at
                // its end. An odd total puts the extra row at the end, except for SAME_LOWER (as
                // ONNX Runtime and the backend test data do).
                int total = Math.max(0, full - target);
                if (at.autoPad.equals("SAME_LOWER")) { pb[d] = total - total / 2; pe[d] = total / 2; }
                else { pb[d] = total / 2; pe[d] = total - total / 2; }
                outDims[d] = target;
            } else {
                if (at.pads != null && !at.autoPad.equals("VALID")) { pb[d] = Math.toIntExact(at.pads[i]); pe[d] = Math.toIntExact(at.pads[i + r]); }
                outDims[d] = full - pb[d] - pe[d];
            }
        }
        Window scatter = new Window(outDims, inDims, kern, str, dil, pb, pe);
        int isp = inDims[0] * inDims[1] * inDims[2], osp = outDims[0] * outDims[1] * outDims[2], kk = kern[0] * kern[1] * kern[2];
        float[] xv = Tensors.floats(x), wv = Tensors.floats(wt);
        float[] y = new float[Math.multiplyExact(Math.multiplyExact(n, m), osp)];
        if (b != null) {
            float[] bv = Tensors.floats(b);
            for (int i = 0; i < n * m; i++) Arrays.fill(y, i * osp, (i + 1) * osp, bv[i % m]);
        }
        int rows = mg * kk;
        if (isp > 0 && rows > 0 && cg > 0) {
            float[] cols = new float[Math.multiplyExact(rows, isp)];
            for (int g = 0; g < group; g++) {
                // W[g·cg + c][j][t] viewed as [cg × rows]; its transpose is the GEMM's left operand.
                float[] wgT = new float[rows * cg];
                GemmOps.transpose(wv, g * cg * rows, cg, rows, wgT);
                for (int i = 0; i < n; i++) {
                    k.sgemm(rows, isp, cg, wgT, 0, cg, xv, (i * c + g * cg) * isp, isp, cols, 0, isp, false);
                    col2im(cols, scatter, mg, y, (i * m + g * mg) * osp, osp);
                }
            }
        }
        long[] os = new long[rank];
        os[0] = n;
        os[1] = m;
        for (int i = 0; i < r; i++) os[2 + i] = outDims[3 - r + i];
        return Tensors.ofFloats(y, os);
    }

    private static void col2im(float[] cols, Window w, int channels, float[] y, int yOff, int osp) {
        int[] out = w.in(), in = w.out(), k = w.kernel(), s = w.strides(), dl = w.dilations(), pb = w.padBegin();
        int isp = in[0] * in[1] * in[2];
        int row = 0;
        for (int j = 0; j < channels; j++) {
            int base = yOff + j * osp;
            for (int a = 0; a < k[0]; a++)
                for (int b = 0; b < k[1]; b++)
                    for (int e = 0; e < k[2]; e++, row++) {
                        int lo = w.validLo(2, e), hi = w.validHi(2, e);
                        for (int id = 0; id < in[0]; id++) {
                            int od = id * s[0] - pb[0] + a * dl[0];
                            if (od < 0 || od >= out[0]) continue;
                            for (int ih = 0; ih < in[1]; ih++) {
                                int oh = ih * s[1] - pb[1] + b * dl[1];
                                if (oh < 0 || oh >= out[1]) continue;
                                int src = row * isp + (id * in[1] + ih) * in[2];
                                int dst = base + (od * out[1] + oh) * out[2] + e * dl[2] - pb[2];
                                for (int iw = lo; iw < hi; iw++) y[dst + iw * s[2]] += cols[src + iw];
                            }
                        }
                    }
        }
    }
}
