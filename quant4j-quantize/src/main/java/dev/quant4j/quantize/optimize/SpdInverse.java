package dev.quant4j.quantize.optimize;

/**
 * The upper triangular U with H⁻¹ = Uᵀ·U for a symmetric positive definite H, from one Cholesky
 * factorization and one triangular inverse: with J the reversal permutation and J·H·J = L·Lᵀ,
 * H⁻¹ = J·L⁻ᵀ·L⁻¹·J = Uᵀ·U where U = J·L⁻¹·J is upper triangular (reversing rows and columns
 * of a lower triangular matrix makes it upper triangular).
 */
final class SpdInverse {
    private SpdInverse() {}

    /** U (row-major n × n), or null when H is not (numerically) positive definite. */
    static double[] upperFactorOfInverse(double[] h, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] = h[(n - 1 - i) * n + (n - 1 - j)];
        // in-place lower Cholesky of a
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0)) return null;
            double ljj = Math.sqrt(d);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                int ri = i * n, rj = j * n;
                for (int k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
                a[i * n + j] = s / ljj;
            }
        }
        // L⁻¹ row by row: li[i][j] = −(Σ_{k<i} L[i][k]·li[k][j]) / L[i][i]; the inner loop runs along a row
        double[] li = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int k = 0; k < i; k++) {
                double lik = a[ri + k];
                if (lik == 0) continue;
                int rk = k * n;
                for (int j = 0; j <= k; j++) li[ri + j] -= lik * li[rk + j];
            }
            double d = a[ri + i];
            for (int j = 0; j < i; j++) li[ri + j] /= d;
            li[ri + i] = 1 / d;
        }
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) u[i * n + j] = li[(n - 1 - i) * n + (n - 1 - j)];
        return u;
    }
}
