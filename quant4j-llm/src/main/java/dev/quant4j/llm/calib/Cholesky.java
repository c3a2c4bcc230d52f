package dev.quant4j.llm.calib;

/** Dense Cholesky helpers for the small symmetric matrices of calibration (n up to a few thousand). */
final class Cholesky {
    private Cholesky() {}

    /** Lower factor L with A = L·Lᵀ (row-major n × n), or null when A is not positive definite. */
    static double[] lower(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(s > 0)) return null;
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    /** A⁻¹ from A's Cholesky factor, or null when A is not positive definite. */
    static double[] inverse(double[] a, int n) {
        double[] l = lower(a, n);
        if (l == null) return null;
        // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ·L⁻¹
        double[] li = new double[n * n];
        for (int c = 0; c < n; c++) {
            li[c * n + c] = 1 / l[c * n + c];
            for (int i = c + 1; i < n; i++) {
                double s = 0;
                for (int k = c; k < i; k++) s -= l[i * n + k] * li[k * n + c];
                li[i * n + c] = s / l[i * n + i];
            }
        }
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
                inv[i * n + j] = inv[j * n + i] = s;
            }
        return inv;
    }

    /** U upper triangular with A⁻¹ = Uᵀ·U, or null when A (or its inverse, numerically) is not positive definite. */
    static double[] upperOfInverse(double[] a, int n) {
        double[] inv = inverse(a, n);
        if (inv == null) return null;
        double[] l = lower(inv, n);
        if (l == null) return null;
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) u[j * n + i] = l[i * n + j];
        return u;
    }
}
