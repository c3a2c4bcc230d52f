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

    static float[][] grad(GradContext c) {
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
            double mu, var;
            if (train) {
                double s = 0;
                for (int i = 0; i < n; i++) for (int p = 0; p < inner; p++) s += x[(i * ch + j) * inner + p];
                mu = s / cnt;
                double q = 0;
                for (int i = 0; i < n; i++) for (int p = 0; p < inner; p++) { double d = x[(i * ch + j) * inner + p] - mu; q += d * d; }
                var = q / cnt;
            } else {
                mu = rm[j];
                var = rv[j];
            }
            double inv = 1 / Math.sqrt(var + eps), sdy = 0, sdyx = 0;
            for (int i = 0; i < n; i++)
                for (int p = 0; p < inner; p++) {
                    int k = (i * ch + j) * inner + p;
                    sdy += dy[k];
                    sdyx += dy[k] * (x[k] - mu) * inv;
                }
            if (dg != null) dg[j] = (float) sdyx;
            if (db != null) db[j] = (float) sdy;
            double a = gamma[j] * inv;
            if (dmean != null) dmean[j] = (float) (-sdy * a);
            if (dvar != null) dvar[j] = (float) (-0.5 * sdyx * gamma[j] * inv * inv);
            if (dx == null) continue;
            for (int i = 0; i < n; i++)
                for (int p = 0; p < inner; p++) {
                    int k = (i * ch + j) * inner + p;
                    dx[k] = train ? (float) (a / cnt * (cnt * dy[k] - sdy - (x[k] - mu) * inv * sdyx)) : (float) (dy[k] * a);
                }
        }
        return new float[][] {dx, dg, db, dmean, dvar};
    }
}
