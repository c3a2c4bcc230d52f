package dev.quant4j.runtime.ops;

import java.util.Arrays;

/**
 * Lays the input windows of a convolution out as a matrix, one row per (channel, tap) and one
 * column per output position:
 *
 * <pre>
 *   row (c, a, b, e) = ((c·KD + a)·KH + b)·KW + e          column (od, oh, ow) = (od·OH + oh)·OW + ow
 *   col[row][column] = x[c][od·sd − pd + a·dd][oh·sh − ph + b·dh][ow·sw − pw + e·dw]   (0 outside)
 * </pre>
 *
 * Each (row, od, oh) is one run along ow: a contiguous copy when the stride is 1.
 */
final class Im2col {
    private Im2col() {}

    /** Fills {@code col} ([channels·K × positions]) from the channels starting at {@code x[xOff]}. */
    static void fill(int threads, float[] x, int xOff, int channels, Window w, float[] col) {
        int kk = w.kernelSize(), osp = w.outSize();
        OpThreads.forEach(threads, channels, (long) channels * kk * osp, c -> channel(x, xOff, c, w, col, c * kk * osp));
    }

    private static void channel(float[] x, int xOff, int c, Window w, float[] col, int base) {
        int[] in = w.in(), out = w.out(), k = w.kernel(), s = w.strides(), dl = w.dilations(), pb = w.padBegin();
        int ow = out[2], plane = out[1] * out[2];
        int cOff = xOff + c * w.inSize();
        int row = base;
        for (int a = 0; a < k[0]; a++) {
            for (int b = 0; b < k[1]; b++) {
                for (int e = 0; e < k[2]; e++, row += w.outSize()) {
                    int lo = w.validLo(2, e), hi = Math.max(lo, w.validHi(2, e));
                    int off = e * dl[2] - pb[2];
                    for (int od = 0; od < out[0]; od++) {
                        int id = od * s[0] - pb[0] + a * dl[0];
                        int dst0 = row + od * plane;
                        if (id < 0 || id >= in[0]) { Arrays.fill(col, dst0, dst0 + plane, 0f); continue; }
                        for (int oh = 0; oh < out[1]; oh++) {
                            int ih = oh * s[1] - pb[1] + b * dl[1];
                            int dst = dst0 + oh * ow;
                            if (ih < 0 || ih >= in[1]) { Arrays.fill(col, dst, dst + ow, 0f); continue; }
                            int src = cOff + (id * in[1] + ih) * in[2] + off;
                            if (lo > 0) Arrays.fill(col, dst, dst + lo, 0f);
                            if (s[2] == 1) {
                                if (hi > lo) System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                            } else {
                                int sw = s[2];
                                for (int o = lo; o < hi; o++) col[dst + o] = x[src + o * sw];
                            }
                            if (hi < ow) Arrays.fill(col, dst + hi, dst + ow, 0f);
                        }
                    }
                }
            }
        }
    }
}
