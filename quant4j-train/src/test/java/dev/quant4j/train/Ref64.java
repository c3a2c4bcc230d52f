package dev.quant4j.train;

/**
 * Float64 evaluators of operator formulas, written from the ONNX definitions and independent of
 * both the runtime's operators and the backward rules: the reference for gradient checks whose
 * central differences then carry float64 round-off (~1e-16/h) instead of fp32's (~1e-7/h).
 * Layouts are row-major NCHW like ONNX.
 */
final class Ref64 {
    private Ref64() {}

    /** 2-D convolution; b may be null; pads = {top, left, bottom, right}. */
    static double[] conv(double[] x, long[] xs, double[] w, long[] ws, double[] b, int[] stride, int[] pads, int[] dil, int group) {
        int n = (int) xs[0], c = (int) xs[1], h = (int) xs[2], wd = (int) xs[3];
        int m = (int) ws[0], cg = (int) ws[1], kh = (int) ws[2], kw = (int) ws[3], mg = m / group;
        int oh = (h + pads[0] + pads[2] - (dil[0] * (kh - 1) + 1)) / stride[0] + 1;
        int ow = (wd + pads[1] + pads[3] - (dil[1] * (kw - 1) + 1)) / stride[1] + 1;
        double[] y = new double[n * m * oh * ow];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < m; o++) {
                int g = o / mg;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double s = b == null ? 0 : b[o];
                        for (int ci = 0; ci < cg; ci++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * stride[0] - pads[0] + ky * dil[0], ix = ox * stride[1] - pads[1] + kx * dil[1];
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    s += x[((i * c + g * cg + ci) * h + iy) * wd + ix] * w[((o * cg + ci) * kh + ky) * kw + kx];
                                }
                        y[((i * m + o) * oh + oy) * ow + ox] = s;
                    }
            }
        return y;
    }

    /** alpha·op(A)·op(B) + beta·C, A [M,K] (or [K,M] transposed), C broadcast from [N], [M,1] or [M,N]. */
    static double[] gemm(double[] a, long[] as, boolean ta, double[] b, long[] bs, boolean tb, double[] cv, long[] cs, double alpha, double beta) {
        int m = (int) (ta ? as[1] : as[0]), k = (int) (ta ? as[0] : as[1]), n = (int) (tb ? bs[0] : bs[1]);
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                double cij = 0;
                if (cv != null) {
                    int ci = cs.length == 2 && cs[0] == m ? i : 0, cj = cs[cs.length - 1] == n ? j : 0;
                    cij = cv[ci * (cs[cs.length - 1] == n ? n : 1) + cj];
                }
                y[i * n + j] = alpha * s + beta * cij;
            }
        return y;
    }

    /** MatMul of [.., M, K] by [.., K, N], batch dims broadcast (a missing batch dim counts as 1). */
    static double[] matmul(double[] a, long[] as, double[] b, long[] bs) {
        int m = (int) as[as.length - 2], k = (int) as[as.length - 1], n = (int) bs[bs.length - 1];
        int ba = a.length / (m * k), bb = b.length / (k * n), batch = Math.max(ba, bb);
        double[] y = new double[batch * m * n];
        for (int t = 0; t < batch; t++) {
            int oa = (ba == 1 ? 0 : t) * m * k, ob = (bb == 1 ? 0 : t) * k * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[oa + i * k + p] * b[ob + p * n + j];
                    y[(t * m + i) * n + j] = s;
                }
        }
        return y;
    }

    /** Softmax (log = false) or LogSoftmax along {@code axis} alone (opset ≥ 13 meaning). */
    static double[] softmax(double[] x, long[] s, int axis, boolean log) {
        int outer = 1, inner = 1, d = (int) s[axis];
        for (int i = 0; i < axis; i++) outer *= (int) s[i];
        for (int i = axis + 1; i < s.length; i++) inner *= (int) s[i];
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < d; j++) max = Math.max(max, x[(o * d + j) * inner + in]);
                for (int j = 0; j < d; j++) sum += Math.exp(x[(o * d + j) * inner + in] - max);
                for (int j = 0; j < d; j++) {
                    int q = (o * d + j) * inner + in;
                    y[q] = log ? x[q] - max - Math.log(sum) : Math.exp(x[q] - max) / sum;
                }
            }
        return y;
    }

    /** LayerNormalization over the trailing {@code size} elements of each row; bias may be null. */
    static double[] layerNorm(double[] x, int size, double[] scale, double[] bias, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / size; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < size; j++) mean += x[r * size + j];
            mean /= size;
            for (int j = 0; j < size; j++) var += (x[r * size + j] - mean) * (x[r * size + j] - mean);
            var /= size;
            double inv = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < size; j++) y[r * size + j] = (x[r * size + j] - mean) * inv * scale[j] + (bias == null ? 0 : bias[j]);
        }
        return y;
    }

    /** BatchNormalization over NC·· : training mode uses the batch's mean and biased variance, else the given ones. */
    static double[] batchNorm(double[] x, long[] s, double[] scale, double[] bias, double[] mean, double[] var, double eps, boolean training) {
        int n = (int) s[0], c = (int) s[1], sp = x.length / (n * c);
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mu = 0, v = 0;
            if (training) {
                for (int i = 0; i < n; i++) for (int p = 0; p < sp; p++) mu += x[(i * c + ch) * sp + p];
                mu /= n * sp;
                for (int i = 0; i < n; i++) for (int p = 0; p < sp; p++) { double d = x[(i * c + ch) * sp + p] - mu; v += d * d; }
                v /= n * sp;
            } else {
                mu = mean[ch];
                v = var[ch];
            }
            for (int i = 0; i < n; i++)
                for (int p = 0; p < sp; p++) {
                    int q = (i * c + ch) * sp + p;
                    y[q] = (x[q] - mu) / Math.sqrt(v + eps) * scale[ch] + bias[ch];
                }
        }
        return y;
    }

    /** Max or average pooling (2-D); average divides by the window's in-image count unless {@code countPad}. */
    static double[] pool(double[] x, long[] s, boolean max, int[] k, int[] stride, int[] pads, boolean countPad) {
        int n = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3];
        int oh = (h + pads[0] + pads[2] - k[0]) / stride[0] + 1, ow = (w + pads[1] + pads[3] - k[1]) / stride[1] + 1;
        double[] y = new double[n * c * oh * ow];
        for (int pl = 0; pl < n * c; pl++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int ky = 0; ky < k[0]; ky++)
                        for (int kx = 0; kx < k[1]; kx++) {
                            int iy = oy * stride[0] - pads[0] + ky, ix = ox * stride[1] - pads[1] + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            double v = x[(pl * h + iy) * w + ix];
                            acc = max ? Math.max(acc, v) : acc + v;
                            count++;
                        }
                    y[(pl * oh + oy) * ow + ox] = max ? acc : acc / (countPad ? k[0] * k[1] : count);
                }
        return y;
    }

    static double[] globalAveragePool(double[] x, long[] s) {
        int planes = (int) (s[0] * s[1]), sp = x.length / planes;
        double[] y = new double[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < sp; i++) sum += x[p * sp + i];
            y[p] = sum / sp;
        }
        return y;
    }
}
