package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/** Add, Sub, Mul, Div with NumPy broadcasting: each operand's gradient is summed back to its shape. */
public final class ElementwiseGrad {
    private ElementwiseGrad() {}

    public static void register(GradRegistry r) {
        r.register("Add", c -> binary(c, 0));
        r.register("Sub", c -> binary(c, 1));
        r.register("Mul", c -> binary(c, 2));
        r.register("Div", c -> binary(c, 3));
        r.register("Pow", ElementwiseGrad::pow);
        r.register("Identity", c -> new float[][] {c.dy()});
        r.register("Neg", c -> {
            float[] dy = c.dy(), d = new float[dy.length];
            for (int i = 0; i < d.length; i++) d[i] = -dy[i];
            return new float[][] {d};
        });
    }

    private static float[][] binary(GradContext c, int kind) {
        long[] ys = c.outShape(0), as = c.inShape(0), bs = c.inShape(1);
        float[] dy = c.dy();
        float[] da = null, db = null;
        if (kind <= 1) {
            if (c.needs(0)) da = Broadcasting.reduceTo(dy, ys, as);
            if (c.needs(1)) {
                float[] d = dy;
                if (kind == 1) { d = new float[dy.length]; for (int i = 0; i < d.length; i++) d[i] = -dy[i]; }
                db = Broadcasting.reduceTo(d, ys, bs);
            }
            return new float[][] {da, db};
        }
        float[] a = Broadcasting.expand(c.in(0), as, ys), b = Broadcasting.expand(c.in(1), bs, ys);
        if (c.needs(0)) {
            float[] d = new float[dy.length];
            for (int i = 0; i < d.length; i++) d[i] = kind == 2 ? dy[i] * b[i] : dy[i] / b[i];
            da = Broadcasting.reduceTo(d, ys, as);
        }
        if (c.needs(1)) {
            float[] d = new float[dy.length];
            for (int i = 0; i < d.length; i++) d[i] = kind == 2 ? dy[i] * a[i] : -dy[i] * a[i] / (b[i] * b[i]);
            db = Broadcasting.reduceTo(d, ys, bs);
        }
        return new float[][] {da, db};
    }

    /** Pow: dx = dy·e·x^(e−1); de = dy·y·ln x (only where x > 0, as the real power is defined there). */
    private static float[][] pow(GradContext c) {
        long[] ys = c.outShape(0), as = c.inShape(0), bs = c.inShape(1);
        float[] x = Broadcasting.expand(c.in(0), as, ys), e = Broadcasting.expand(c.in(1), bs, ys), y = c.out(0), dy = c.dy();
        float[] dx = null, de = null;
        if (c.needs(0)) {
            float[] d = new float[dy.length];
            for (int i = 0; i < d.length; i++) d[i] = (float) (dy[i] * e[i] * Math.pow(x[i], e[i] - 1.0));
            dx = Broadcasting.reduceTo(d, ys, as);
        }
        if (c.needs(1)) {
            float[] d = new float[dy.length];
            for (int i = 0; i < d.length; i++) d[i] = x[i] > 0 ? (float) (dy[i] * y[i] * Math.log(x[i])) : 0f;
            de = Broadcasting.reduceTo(d, ys, bs);
        }
        return new float[][] {dx, de};
    }
}
