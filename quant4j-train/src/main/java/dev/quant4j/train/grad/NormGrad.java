package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * LayerNormalization (over the trailing dimensions from {@code axis}) and ReduceMean (axes as
 * attribute or, from opset 18, as input), the two forms encoders normalize with.
 * <pre>
 *   LayerNorm per row of D values: x̂ = (x − μ)·r, r = 1/√(σ² + ε), g = dy·γ
 *     dx = r/D · (D·g − Σ g − x̂·Σ g·x̂),   dγ = Σ_rows dy·x̂,   dβ = Σ_rows dy
 *   ReduceMean: dx = dy broadcast back over the reduced axes / count
 * </pre>
 */
public final class NormGrad {
    private NormGrad() {}

    public static void register(GradRegistry r) {
        r.register("LayerNormalization", NormGrad::layerNorm);
        r.register("ReduceMean", NormGrad::reduceMean);
    }

    static float[][] layerNorm(GradContext c) {
        long[] xs = c.inShape(0);
        int axis = (int) c.attributes().getInt("axis", -1);
        if (axis < 0) axis += xs.length;
        double eps = c.attributes().getFloat("epsilon", 1e-5f);
        int d = 1;
        for (int a = axis; a < xs.length; a++) d *= (int) xs[a];
        float[] x = c.in(0), dy = c.dy();
        float[] gamma = Broadcasting.expand(c.in(1), c.inShape(1), java.util.Arrays.copyOfRange(xs, axis, xs.length));
        int rows = x.length / d;
        float[] dx = c.needs(0) ? new float[x.length] : null;
        double[] dg = new double[d], db = new double[d];
        double[] g = new double[d], xh = new double[d];
        for (int rI = 0; rI < rows; rI++) {
            int o = rI * d;
            double mu = 0;
            for (int i = 0; i < d; i++) mu += x[o + i];
            mu /= d;
            double var = 0;
            for (int i = 0; i < d; i++) { double t = x[o + i] - mu; var += t * t; }
            double inv = 1 / Math.sqrt(var / d + eps), sg = 0, sgx = 0;
            for (int i = 0; i < d; i++) {
                xh[i] = (x[o + i] - mu) * inv;
                g[i] = dy[o + i] * (double) gamma[i];
                sg += g[i];
                sgx += g[i] * xh[i];
                dg[i] += dy[o + i] * xh[i];
                db[i] += dy[o + i];
            }
            if (dx != null) for (int i = 0; i < d; i++) dx[o + i] = (float) (inv / d * (d * g[i] - sg - xh[i] * sgx));
        }
        long[] full = java.util.Arrays.copyOfRange(xs, axis, xs.length);
        float[] dScale = c.needs(1) ? Broadcasting.reduceTo(toFloat(dg), full, c.inShape(1)) : null;
        float[] dBias = c.hasInput(2) && c.needs(2) ? Broadcasting.reduceTo(toFloat(db), full, c.inShape(2)) : null;
        return new float[][] {dx, dScale, dBias};
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    static float[][] reduceMean(GradContext c) {
        long[] xs = c.inShape(0);
        long[] axes = c.opset() >= 18 ? (c.hasInput(1) ? c.inputs()[1].toLongs() : null) : (c.attributes().has("axes") ? c.attributes().getInts("axes") : null);
        boolean noop = c.attributes().getInt("noop_with_empty_axes", 0) != 0;
        long[] kept = xs.clone();
        if (axes == null || axes.length == 0) {
            if (noop) return new float[][] {c.dy(), null};
            java.util.Arrays.fill(kept, 1);
        } else {
            for (long a : axes) kept[(int) (a < 0 ? a + xs.length : a)] = 1;
        }
        long count = c.inputs()[0].elementCount() / Math.max(1, dev.quant4j.graph.Tensor.elementCount(kept));
        float[] dx = Broadcasting.expand(c.dy(), kept, xs);
        if (dx == c.dy()) dx = dx.clone();
        for (int i = 0; i < dx.length; i++) dx[i] /= count;
        return new float[][] {dx, null};
    }
}
