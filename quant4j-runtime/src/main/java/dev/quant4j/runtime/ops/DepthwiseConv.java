package dev.quant4j.runtime.ops;

/**
 * Convolution with one input channel per group (depthwise, optionally with a channel multiplier:
 * output channel m reads input channel m / (M / C)), for 1-D and 2-D inputs. im2col would copy
 * each input K times to feed a GEMM of depth K; here each output row is accumulated from the input
 * rows it needs, three horizontal taps per pass, in loops C2 vectorizes. Output planes go to threads.
 *
 * <pre>
 *   y[n][m][oh][ow] += w[m][kh][kw] · x[n][m / mult][oh·sh − ph + kh·dh][ow·sw − pw + kw·dw]
 * </pre>
 * With a horizontal stride s > 1 the input plane is first split into s phases per row
 * (phase q holds columns q, q + s, q + 2s, …), so every tap again reads consecutive elements:
 * column o·s + off is element o + ⌊off / s⌋ of phase off mod s. {@code y} arrives holding the bias.
 */
final class DepthwiseConv {
    private DepthwiseConv() {}

    private static final RowFma ROWS = RowFma.PREFERRED;
    private static final ThreadLocal<float[]> PHASES = ThreadLocal.withInitial(() -> new float[0]);

    static void run(int threads, float[] x, int n, int c, float[] w, int m, Window win, float[] y) {
        int mult = m / c, isp = win.inSize(), osp = win.outSize(), kk = win.kernelSize();
        OpThreads.forEach(threads, n * m, (long) n * m * osp * kk, p -> {
            int i = p / m, j = p % m;
            plane(x, (i * c + j / mult) * isp, w, j * kk, win, y, p * osp);
        });
    }

    static void plane(float[] x, int xOff, float[] w, int wOff, Window win, float[] y, int yOff) {
        int[] in = win.in(), out = win.out(), k = win.kernel(), s = win.strides(), dl = win.dilations(), pb = win.padBegin();
        int ow = out[2], kw = k[2], sw = s[2], width = in[2];
        // Phased rows: row ih, phase q starts at src[base + (ih·sw + q)·pw].
        int pw = (width + sw - 1) / sw;
        float[] src = x;
        int base = xOff;
        if (sw > 1) {
            int need = in[1] * sw * pw;
            src = PHASES.get();
            if (src.length < need) PHASES.set(src = new float[need]);
            for (int ih = 0; ih < in[1]; ih++)
                for (int col = 0; col < width; col++) src[(ih * sw + col % sw) * pw + col / sw] = x[xOff + ih * width + col];
            base = 0;
        }
        int[] lo = new int[kw], hi = new int[kw], shift = new int[kw], phase = new int[kw];
        for (int e = 0; e < kw; e++) {
            int off = e * dl[2] - pb[2];
            lo[e] = win.validLo(2, e);
            hi[e] = Math.max(lo[e], win.validHi(2, e));
            phase[e] = Math.floorMod(off, sw);
            shift[e] = Math.floorDiv(off, sw);
        }
        for (int oh = 0; oh < out[1]; oh++) {
            int yRow = yOff + oh * ow;
            for (int b = 0; b < k[1]; b++) {
                int ih = oh * s[1] - pb[1] + b * dl[1];
                if (ih < 0 || ih >= in[1]) continue;
                int row = base + ih * sw * pw, wRow = wOff + b * kw;
                int e = 0;
                for (; e + 3 <= kw; e += 3) {
                    int l = Math.max(lo[e], Math.max(lo[e + 1], lo[e + 2])), h = Math.min(hi[e], Math.min(hi[e + 1], hi[e + 2]));
                    if (h <= l) { l = h = 0; }
                    float w0 = w[wRow + e], w1 = w[wRow + e + 1], w2 = w[wRow + e + 2];
                    int p0 = row + phase[e] * pw + shift[e], p1 = row + phase[e + 1] * pw + shift[e + 1], p2 = row + phase[e + 2] * pw + shift[e + 2];
                    ROWS.tap3(y, yRow, src, p0, p1, p2, w0, w1, w2, l, h);
                    for (int t = e; t < e + 3; t++) {
                        // the edges of tap t that the fused loop left out
                        int pt = row + phase[t] * pw + shift[t];
                        float wt = w[wRow + t];
                        ROWS.tap1(y, yRow, src, pt, wt, lo[t], Math.min(hi[t], l));
                        ROWS.tap1(y, yRow, src, pt, wt, Math.max(lo[t], h == 0 ? lo[t] : h), hi[t]);
                    }
                }
                for (; e < kw; e++) {
                    int pt = row + phase[e] * pw + shift[e];
                    float wt = w[wRow + e];
                    ROWS.tap1(y, yRow, src, pt, wt, lo[e], hi[e]);
                }
            }
        }
    }
}
