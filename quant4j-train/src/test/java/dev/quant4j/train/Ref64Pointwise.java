package dev.quant4j.train;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Float64 evaluators of the element-wise operators (NumPy broadcasting, activations, erf) and of
 * ReduceMean, written from the ONNX definitions and independent of the runtime and of the backward
 * rules; companion of {@link Ref64}.
 */
final class Ref64Pointwise {
    private Ref64Pointwise() {}

    /** f(a, b) with multidirectional broadcasting: shapes aligned at their trailing dimensions. */
    static double[] binary(double[] a, long[] as, double[] b, long[] bs, DoubleBinaryOperator f) {
        int r = Math.max(as.length, bs.length);
        long[] ys = new long[r];
        for (int k = 0; k < r; k++) ys[k] = Math.max(dim(as, k, r), dim(bs, k, r));
        int n = 1;
        for (long d : ys) n *= (int) d;
        double[] y = new double[n];
        int[] idx = new int[r];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int k = r - 1; k >= 0; k--) { idx[k] = (int) (rem % ys[k]); rem /= (int) ys[k]; }
            y[i] = f.applyAsDouble(a[offset(idx, as, r)], b[offset(idx, bs, r)]);
        }
        return y;
    }

    /** Size of dimension k (of an r-dimensional output) in a shape right-aligned to it; 1 where it is missing. */
    private static long dim(long[] s, int k, int r) {
        int j = k - (r - s.length);
        return j < 0 ? 1 : s[j];
    }

    /** Flat index into an input broadcast to the output index {@code idx}. */
    private static int offset(int[] idx, long[] s, int r) {
        int off = 0;
        for (int j = 0; j < s.length; j++) {
            int k = j + r - s.length;
            off = off * (int) s[j] + (s[j] == 1 ? 0 : idx[k]);
        }
        return off;
    }

    static double[] unary(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) y[i] = f.applyAsDouble(x[i]);
        return y;
    }

    /**
     * erf by its everywhere-convergent series of positive terms,
     * erf x = 2/√π · e^(−x²) · Σ_n 2^n·x^(2n+1) / (1·3·…·(2n+1)),
     * so no cancellation: ~1e-15 relative for the |x| ≤ 4 used here.
     */
    static double erf(double x) {
        if (Math.abs(x) > 6) return Math.signum(x);
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 500 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
    }

    static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    static double gelu(double x) { return 0.5 * x * (1 + erf(x / Math.sqrt(2))); }

    static double geluTanh(double x) { return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))); }

    static double hardSigmoid(double x, double alpha, double beta) { return Math.max(0, Math.min(1, alpha * x + beta)); }

    /** Mean over {@code axes} (all when empty), output shape kept or dropped alike: the flat order is the same. */
    static double[] reduceMean(double[] x, long[] s, long... axes) {
        boolean[] red = new boolean[s.length];
        if (axes.length == 0) java.util.Arrays.fill(red, true);
        for (long a : axes) red[(int) (a < 0 ? a + s.length : a)] = true;
        int outN = 1, count = 1;
        for (int k = 0; k < s.length; k++) { if (red[k]) count *= (int) s[k]; else outN *= (int) s[k]; }
        double[] y = new double[outN];
        for (int i = 0; i < x.length; i++) {
            int rem = i, out = 0, mul = 1;
            for (int k = s.length - 1; k >= 0; k--) {
                int c = (int) (rem % s[k]);
                rem /= (int) s[k];
                if (!red[k]) { out += c * mul; mul *= (int) s[k]; }
            }
            y[out] += x[i] / count;
        }
        return y;
    }
}
