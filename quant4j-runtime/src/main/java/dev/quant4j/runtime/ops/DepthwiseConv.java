package dev.quant4j.runtime.ops;

/**
 * Convolution with one input channel per group (depthwise, optionally with a channel multiplier:
 * output channel m reads input channel m / (M / C)), for 1-D and 2-D inputs. im2col would copy
 * each input K times to feed a GEMM of depth K; here every tap is one multiply-add run along an
 * output row instead, which C2 vectorizes when the stride is 1. Output planes go to threads.
 *
 * <pre>
 *   y[n][m][oh][ow] += w[m][kh][kw] · x[n][m / mult][oh·sh − ph + kh·dh][ow·sw − pw + kw·dw]
 * </pre>
 * {@code y} arrives holding the bias.
 */
final class DepthwiseConv {
    private DepthwiseConv() {}

    static void run(int threads, float[] x, int n, int c, float[] w, int m, Window win, float[] y) {
        int mult = m / c, isp = win.inSize(), osp = win.outSize(), kk = win.kernelSize();
        OpThreads.forEach(threads, n * m, (long) n * m * osp * kk, p -> {
            int i = p / m, j = p % m;
            plane(x, (i * c + j / mult) * isp, w, j * kk, win, y, p * osp);
        });
    }

    static void plane(float[] x, int xOff, float[] w, int wOff, Window win, float[] y, int yOff) {
        int[] in = win.in(), out = win.out(), k = win.kernel(), s = win.strides(), dl = win.dilations(), pb = win.padBegin();
        int ow = out[2], kw = k[2], sw = s[2];
        for (int oh = 0; oh < out[1]; oh++) {
            int yRow = yOff + oh * ow;
            for (int b = 0; b < k[1]; b++) {
                int ih = oh * s[1] - pb[1] + b * dl[1];
                if (ih < 0 || ih >= in[1]) continue;
                int xRow = xOff + ih * in[2];
                for (int e = 0; e < kw; e++) {
                    float wv = w[wOff + b * kw + e];
                    int lo = win.validLo(2, e), hi = win.validHi(2, e);
                    int src = xRow + e * dl[2] - pb[2];
                    if (sw == 1) {
                        for (int o = lo; o < hi; o++) y[yRow + o] += wv * x[src + o];
                    } else {
                        for (int o = lo; o < hi; o++) y[yRow + o] += wv * x[src + o * sw];
                    }
                }
            }
        }
    }
}
