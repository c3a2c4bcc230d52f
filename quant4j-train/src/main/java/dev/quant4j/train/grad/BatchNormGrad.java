package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * BatchNormalization, per channel over N and the spatial positions.
 * <pre>
 *   inference: y = (x − mean)·γ/σ + β with σ = √(var + ε) from the inputs;
 *              dx = dy·γ/σ, dγ = Σ dy·x̂, dβ = Σ dy, dmean = −Σ dy·γ/σ, dvar = −½ Σ dy·(x − mean)·γ/σ³
 *   training:  mean and var (biased) of the batch, x̂ = (x − μ)/σ;
 *              dx = (γ/σ)/n · (n·dy − Σ dy − x̂·Σ dy·x̂), dγ, dβ as above; the running statistics get none
 * </pre>
 */
public final class BatchNormGrad {
    private BatchNormGrad() {}

    public static void register(GradRegistry r) {
        r.register("BatchNormalization", BatchNormGrad::grad);
    }

    static boolean training(GradContext c) {
        return c.opset() >= 14 ? c.attributes().getInt("training_mode", 0) != 0
                : c.node().outputs().size() > 1 && c.attributes().getInt("is_test", 0) == 0;
    }

    static float[][] grad(GradContext c) { return grad(c, BackwardLoops.best()); }

    /**
     * With the loops given. Per channel, the statistics are sums over n contiguous planes;
     * dx is affine in (dy, x − μ) per channel:
     * <pre>
     *   training:  dx = a·dy − (a·Σdy·x̂/cnt)·(x − μ)/σ − a·Σdy/cnt     a = γ/σ
     *   inference: dx = a·dy
     * </pre>
     */
    static float[][] grad(GradContext c, BackwardLoops loops) {
        double eps = c.attributes().getFloat("epsilon", 1e-5f);
        long[] xs = c.inShape(0);
        int n = (int) xs[0], ch = xs.length > 1 ? (int) xs[1] : 1;
        float[] x = c.in(0), gamma = c.in(1), dy = c.dy();
        int inner = x.length / (n * ch);
        boolean train = training(c);
        float[] dx = c.needs(0) ? new float[x.length] : null;
        float[] dg = c.needs(1) ? new float[ch] : null, db = c.needs(2) ? new float[ch] : null;
        float[] dmean = !train && c.needs(3) ? new float[ch] : null, dvar = !train && c.needs(4) ? new float[ch] : null;
        float[] rm = train ? null : c.in(3), rv = train ? null : c.in(4);
        double cnt = (double) n * inner;
        for (int j = 0; j < ch; j++) {
            float mu;
            double var;
            if (train) {
                double s = 0;
                for (int i = 0; i < n; i++) s += loops.sum(x, (i * ch + j) * inner, inner);
                mu = (float) (s / cnt);
                double q = 0;
                for (int i = 0; i < n; i++) q += loops.sumSquaredDeviation(x, (i * ch + j) * inner, inner, mu);
                var = q / cnt;
            } else {
                mu = rm[j];
                var = rv[j];
            }
            double inv = 1 / Math.sqrt(var + eps), sdy = 0, sdyx = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * ch + j) * inner;
                sdy += loops.sum(dy, off, inner);
                sdyx += loops.dotDeviation(dy, x, off, inner, mu);
            }
            sdyx *= inv;
            if (dg != null) dg[j] = (float) sdyx;
            if (db != null) db[j] = (float) sdy;
            double a = gamma[j] * inv;
            if (dmean != null) dmean[j] = (float) (-sdy * a);
            if (dvar != null) dvar[j] = (float) (-0.5 * sdyx * gamma[j] * inv * inv);
            if (dx == null) continue;
            float p = (float) a, q = train ? (float) (-a * sdyx * inv / cnt) : 0f, r = train ? (float) (-a * sdy / cnt) : 0f;
            for (int i = 0; i < n; i++) loops.affine(dy, x, dx, (i * ch + j) * inner, inner, p, q, mu, r);
        }
        return new float[][] {dx, dg, db, dmean, dvar};
    }
}
