package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * MaxPool, AveragePool (2-D) and GlobalAveragePool. MaxPool sends each output's gradient to the
 * first position holding the window's maximum (found again from the saved input, so the forward
 * needs no Indices output); AveragePool spreads it over the taps it averaged.
 */
public final class PoolGrad {
    private PoolGrad() {}

    public static void register(GradRegistry r) {
        r.register("MaxPool", PoolGrad::maxPool);
        r.register("AveragePool", PoolGrad::avgPool);
        r.register("GlobalAveragePool", PoolGrad::globalAvg);
    }

    static float[][] maxPool(GradContext c) {
        Geometry2d g = Geometry2d.of(c, c.attributes().getInts("kernel_shape"));
        long[] xs = c.inShape(0);
        int planes = (int) (xs[0] * xs[1]), isz = g.inSize(), osz = g.outSize();
        float[] x = c.in(0), dy = c.dy(), dx = new float[x.length];
        for (int pl = 0; pl < planes; pl++)
            for (int oy = 0; oy < g.oh(); oy++)
                for (int ox = 0; ox < g.ow(); ox++) {
                    int best = -1;
                    float bv = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                        if (iy < 0 || iy >= g.ih()) continue;
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                            if (ix < 0 || ix >= g.iw()) continue;
                            int k = pl * isz + iy * g.iw() + ix;
                            if (best < 0 || x[k] > bv) { bv = x[k]; best = k; }
                        }
                    }
                    if (best >= 0) dx[best] += dy[pl * osz + oy * g.ow() + ox];
                }
        return new float[][] {dx};
    }

    static float[][] avgPool(GradContext c) {
        Geometry2d g = Geometry2d.of(c, c.attributes().getInts("kernel_shape"));
        boolean includePad = c.attributes().getInt("count_include_pad", 0) != 0;
        long[] xs = c.inShape(0);
        int planes = (int) (xs[0] * xs[1]), isz = g.inSize(), osz = g.outSize();
        float[] dy = c.dy(), dx = new float[(int) c.inputs()[0].elementCount()];
        for (int pl = 0; pl < planes; pl++)
            for (int oy = 0; oy < g.oh(); oy++)
                for (int ox = 0; ox < g.ow(); ox++) {
                    int count = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        float share = pass == 1 ? dy[pl * osz + oy * g.ow() + ox] / count : 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int iy = oy * g.sh() - g.padTop() + ky * g.dh();
                            boolean inY = iy >= 0 && iy < g.ih();
                            // count_include_pad counts pad taps inside the padded extent (ceil_mode overhang excluded)
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int ix = ox * g.sw() - g.padLeft() + kx * g.dw();
                                boolean inside = inY && ix >= 0 && ix < g.iw();
                                if (pass == 0) { if (inside || includePad) count++; }
                                else if (inside) dx[pl * isz + iy * g.iw() + ix] += share;
                            }
                        }
                    }
                }
        return new float[][] {dx};
    }

    static float[][] globalAvg(GradContext c) {
        long[] xs = c.inShape(0);
        int planes = (int) (xs[0] * xs[1]), inner = (int) (c.inputs()[0].elementCount() / planes);
        float[] dy = c.dy(), dx = new float[planes * inner];
        for (int pl = 0; pl < planes; pl++) {
            float v = dy[pl] / inner;
            for (int p = 0; p < inner; p++) dx[pl * inner + p] = v;
        }
        return new float[][] {dx};
    }
}
