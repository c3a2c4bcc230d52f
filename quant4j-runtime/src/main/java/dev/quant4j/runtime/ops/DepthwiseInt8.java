package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Tensors;

/**
 * Exact int32 depthwise convolution (one input channel per group, one output per group) of 8-bit
 * codes: acc[c][o] = Σ_t (x[c][i(o,t)] − x_z)·(w[c][t] − w_z[c]), padded taps contributing 0. A
 * direct loop: as one GEMM per channel it would be a [positions × taps]·[taps × 1] product, all
 * call overhead and im2col.
 */
final class DepthwiseInt8 {
    private final int channels, taps;
    private final int[] weights;   // (w − w_z) per channel and tap

    DepthwiseInt8(Tensor w, int[] wz) {
        channels = Math.toIntExact(w.dim(0));
        taps = Math.toIntExact(w.elementCount() / Math.max(1, channels));
        byte[] b = Tensors.bytes(w);
        boolean u = Int8MatMul.isUnsigned(w);
        if (wz.length != 1 && wz.length != channels) throw new IllegalArgumentException(channels + " channels but " + wz.length + " weight zero-points");
        weights = new int[b.length];
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < taps; t++) weights[c * taps + t] = (u ? b[c * taps + t] & 0xFF : b[c * taps + t]) - wz[wz.length == 1 ? 0 : c];
    }

    /** The accumulators [batch][channels][positions] for codes {@code x} [batch][channels][spatial]. */
    int[] convolve(Tensor x, int xz, Window w) {
        byte[] xb = Tensors.bytes(x);
        boolean u = Int8MatMul.isUnsigned(x);
        int n = Math.toIntExact(x.dim(0)), pos = w.outSize(), in = w.inSize();
        int[] out = new int[Math.multiplyExact(n, Math.multiplyExact(channels, pos))];
        int[] xi = new int[in];
        int[] k = w.kernel(), s = w.strides(), d = w.dilations(), pb = w.padBegin(), dims = w.in(), o = w.out();
        int[] row = new int[o[2]];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                int src = (b * channels + c) * in, wOff = c * taps, dst = (b * channels + c) * pos;
                for (int i = 0; i < in; i++) xi[i] = (u ? xb[src + i] & 0xFF : xb[src + i]) - xz;
                for (int o0 = 0; o0 < o[0]; o0++)
                    for (int o1 = 0; o1 < o[1]; o1++) {
                        java.util.Arrays.fill(row, 0);
                        for (int k0 = 0; k0 < k[0]; k0++) {
                            int i0 = o0 * s[0] - pb[0] + k0 * d[0];
                            if (i0 < 0 || i0 >= dims[0]) continue;
                            for (int k1 = 0; k1 < k[1]; k1++) {
                                int i1 = o1 * s[1] - pb[1] + k1 * d[1];
                                if (i1 < 0 || i1 >= dims[1]) continue;
                                int base = (i0 * dims[1] + i1) * dims[2];
                                for (int k2 = 0; k2 < k[2]; k2++)
                                    tapRow(row, xi, base, weights[wOff + (k0 * k[1] + k1) * k[2] + k2], k2 * d[2] - pb[2], s[2], dims[2]);
                            }
                        }
                        System.arraycopy(row, 0, out, dst + (o0 * o[1] + o1) * o[2], o[2]);
                    }
            }
        }
        return out;
    }

    /**
     * row[j] += x[base + j·stride + shift]·weight for every output j whose input column
     * j·stride + shift lies inside [0, width): the padding is cut off by the loop bounds, so the
     * inner loop has no branch (and vectorizes when the stride is 1).
     */
    private static void tapRow(int[] row, int[] x, int base, int weight, int shift, int stride, int width) {
        if (weight == 0) return;
        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int hi = Math.min(row.length, width - 1 - shift < 0 ? 0 : (width - 1 - shift) / stride + 1);
        int from = base + shift;
        if (stride == 1) for (int j = lo; j < hi; j++) row[j] += x[from + j] * weight;
        else for (int j = lo; j < hi; j++) row[j] += x[from + j * stride] * weight;
    }
}
