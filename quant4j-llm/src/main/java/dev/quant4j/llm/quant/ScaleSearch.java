package dev.quant4j.llm.quant;

/**
 * Scale choices for a group of weights.
 *
 * <p>Round-to-nearest (RTN) takes the scale from the group's range. The importance-weighted
 * search minimises E = Σ wᵢ·(xᵢ − x̂ᵢ)²: it tries 21 scales spread around the RTN scale, rounds
 * the weights with each, then refits the scale (and the offset, for affine groups) by weighted
 * least squares for that rounding — the closed-form solution of ∂E/∂d = 0 (and ∂E/∂m = 0) — and
 * keeps the candidate with the smallest E after re-rounding. The RTN scale is one of the candidates.
 */
final class ScaleSearch {
    private ScaleSearch() {}

    static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

    /** The element with the largest magnitude, with its sign (0 for an all-zero group). */
    static float signedAbsMax(float[] x, int off, int n) {
        float amax = 0, max = 0;
        for (int j = 0; j < n; j++) {
            float v = x[off + j];
            if (Math.abs(v) > amax) { amax = Math.abs(v); max = v; }
        }
        return max;
    }

    /** Weighted squared error of x̂ = d·clamp(round(x/d)) with {@code d} first rounded to fp16 if asked. */
    static double symmetricError(float[] x, int xo, int n, float[] w, int wo, float d, int qmin, int qmax, boolean f16) {
        float ds = f16 ? Le.roundF16(d) : d;
        float id = ds == 0 ? 0 : 1 / ds;
        double e = 0;
        for (int j = 0; j < n; j++) {
            double r = x[xo + j] - ds * clamp(Math.round(x[xo + j] * id), qmin, qmax);
            e += (w == null ? 1 : w[wo + j]) * r * r;
        }
        return e;
    }

    /** The weighted-least-squares scale for x ≈ d·q, q ∈ [qmin, qmax], starting from {@code dRtn}. */
    static float symmetric(float[] x, int xo, int n, float[] w, int wo, int qmin, int qmax, float dRtn, boolean f16) {
        if (dRtn == 0) return 0;
        float best = dRtn;
        double bestErr = symmetricError(x, xo, n, w, wo, dRtn, qmin, qmax, f16);
        for (int k = -10; k <= 10; k++) {
            float d = dRtn * (1 + 0.02f * k);
            double e = symmetricError(x, xo, n, w, wo, d, qmin, qmax, f16);
            if (e < bestErr) { bestErr = e; best = d; }
            float id = 1 / d;
            double sxq = 0, sqq = 0;
            for (int j = 0; j < n; j++) {
                int q = clamp(Math.round(x[xo + j] * id), qmin, qmax);
                double wj = w[wo + j];
                sxq += wj * x[xo + j] * q;
                sqq += wj * q * q;
            }
            if (sqq <= 0) continue;
            float dls = (float) (sxq / sqq);
            if (dls == 0 || !Float.isFinite(dls)) continue;
            e = symmetricError(x, xo, n, w, wo, dls, qmin, qmax, f16);
            if (e < bestErr) { bestErr = e; best = dls; }
        }
        return best;
    }

    /** Weighted squared error of x̂ = d·clamp(round((x − m)/d), 0, qmax) + m. */
    static double affineError(float[] x, int xo, int n, float[] w, int wo, float d, float m, int qmax, boolean f16) {
        if (f16) { d = Le.roundF16(d); m = Le.roundF16(m); }
        float id = d == 0 ? 0 : 1 / d;
        double e = 0;
        for (int j = 0; j < n; j++) {
            double r = x[xo + j] - (d * clamp(Math.round((x[xo + j] - m) * id), 0, qmax) + m);
            e += (w == null ? 1 : w[wo + j]) * r * r;
        }
        return e;
    }

    /**
     * Scale and offset {d, m} for x ≈ d·q + m with q ∈ [0, qmax], written to {@code out}. RTN when
     * {@code w} is null. {@code nonPositiveOffset} keeps m ≤ 0 (the K-quants store −m as an
     * unsigned 6-bit "min").
     */
    static void affine(float[] x, int xo, int n, float[] w, int wo, int qmax, boolean nonPositiveOffset, boolean f16, float[] out) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) { min = Math.min(min, x[xo + j]); max = Math.max(max, x[xo + j]); }
        if (nonPositiveOffset) min = Math.min(min, 0);
        float range = max - min;
        out[0] = range > 0 ? range / qmax : 0;
        out[1] = min;
        if (w == null || range <= 0) return;
        double bestErr = affineError(x, xo, n, w, wo, out[0], out[1], qmax, f16);
        for (int k = 0; k <= 20; k++) {
            float iscale = (qmax - 1 + 0.1f * k) / range;
            double sw = 0, sq = 0, sqq = 0, sx = 0, sqx = 0;
            for (int j = 0; j < n; j++) {
                int q = clamp(Math.round(iscale * (x[xo + j] - min)), 0, qmax);
                double wj = w[wo + j], xj = x[xo + j];
                sw += wj; sq += wj * q; sqq += wj * q * q; sx += wj * xj; sqx += wj * q * xj;
            }
            double det = sw * sqq - sq * sq;
            if (det <= 0) continue;
            double d = (sw * sqx - sq * sx) / det, m = (sqq * sx - sq * sqx) / det;
            if (nonPositiveOffset && m > 0) { m = 0; d = sqx / sqq; }
            if (!(d > 0) || !Double.isFinite(m)) continue;
            double e = affineError(x, xo, n, w, wo, (float) d, (float) m, qmax, f16);
            if (e < bestErr) { bestErr = e; out[0] = (float) d; out[1] = (float) m; }
        }
    }
}
