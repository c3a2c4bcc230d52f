package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/** Reshape, Flatten, Squeeze, Unsqueeze (the gradient is dy itself) and Transpose (dy transposed back). */
public final class ShapeGrad {
    private ShapeGrad() {}

    public static void register(GradRegistry r) {
        for (String op : new String[] {"Reshape", "Flatten", "Squeeze", "Unsqueeze"})
            r.register(op, c -> {
                float[][] d = new float[c.inputs().length][];
                d[0] = c.dy();
                return d;
            });
        r.register("Transpose", ShapeGrad::transpose);
        // Shape arithmetic carries no gradient; a float-to-float Cast passes it through.
        r.register("Shape", c -> new float[c.inputs().length][]);
        r.register("Constant", c -> new float[0][]);
        r.register("Cast", c -> {
            float[][] d = new float[c.inputs().length][];
            if (c.inputs()[0].dtype().isFloatingPoint() && c.outputs()[0].dtype().isFloatingPoint()) d[0] = c.dy();
            return d;
        });
    }

    static float[][] transpose(GradContext c) {
        long[] xs = c.inShape(0);
        int r = xs.length;
        long[] perm = c.attributes().has("perm") ? c.attributes().getInts("perm") : null;
        if (perm == null) { perm = new long[r]; for (int i = 0; i < r; i++) perm[i] = r - 1 - i; }
        long[] ys = c.outShape(0);
        // y[i_0..i_{r-1}] = x[j] with j_{perm[a]} = i_a: walk y in order, step x by its strides.
        long[] xStride = new long[r];
        long s = 1;
        for (int a = r - 1; a >= 0; a--) { xStride[a] = s; s *= xs[a]; }
        long[] step = new long[r];
        for (int a = 0; a < r; a++) step[a] = xStride[(int) perm[a]];
        float[] dy = c.dy(), dx = new float[dy.length];
        int[] idx = new int[r];
        long cur = 0;
        for (int i = 0; i < dy.length; i++) {
            dx[(int) cur] = dy[i];
            for (int a = r - 1; a >= 0; a--) {
                idx[a]++;
                cur += step[a];
                if (idx[a] < ys[a]) break;
                cur -= step[a] * idx[a];
                idx[a] = 0;
            }
        }
        return new float[][] {dx};
    }
}
