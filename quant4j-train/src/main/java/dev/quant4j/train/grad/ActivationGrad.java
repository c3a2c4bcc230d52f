package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * Element-wise activations: dx = dy · f'(x), with f' written from x or from the saved output y,
 * whichever is cheaper. Kinks (Relu at 0, Clip at its bounds) take the derivative of the side the
 * runtime's comparison puts them on: the inside of Clip's range, zero for Relu.
 */
public final class ActivationGrad {
    private ActivationGrad() {}

    @FunctionalInterface
    private interface Derivative { double at(double x, double y); }

    public static void register(GradRegistry r) {
        r.register("Relu", c -> relu(c, BackwardLoops.best()));
        r.register("LeakyRelu", c -> {
            double alpha = c.attributes().getFloat("alpha", 0.01f);
            return unary(c, (x, y) -> x > 0 ? 1 : alpha);
        });
        r.register("Sigmoid", c -> unary(c, (x, y) -> y * (1 - y)));
        r.register("Tanh", c -> unary(c, (x, y) -> 1 - y * y));
        r.register("HardSigmoid", c -> {
            double alpha = c.attributes().getFloat("alpha", 0.2f), beta = c.attributes().getFloat("beta", 0.5f);
            return unary(c, (x, y) -> { double v = alpha * x + beta; return v > 0 && v < 1 ? alpha : 0; });
        });
        r.register("Erf", c -> unary(c, (x, y) -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x)));
        r.register("Gelu", c -> {
            if (!c.attributes().getString("approximate", "none").equals("none")) return unary(c, ActivationGrad::geluTanh);
            return unary(c, (x, y) -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI));
        });
        r.register("Clip", ActivationGrad::clip);
        r.register("Sqrt", c -> unary(c, (x, y) -> 0.5 / y));
        r.register("Exp", c -> unary(c, (x, y) -> y));
        r.register("Log", c -> unary(c, (x, y) -> 1 / x));
    }

    private static double geluTanh(double x, double y) {
        double k = Math.sqrt(2 / Math.PI), u = k * (x + 0.044715 * x * x * x), t = Math.tanh(u);
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
    }

    /** erf to ~1e-7 (Abramowitz–Stegun 7.1.26 is too coarse for a derivative check; series/continued form). */
    static double erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double tau = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - tau : tau - 1;
    }

    private static float[][] unary(GradContext c, Derivative f) {
        float[] x = c.in(0), y = c.out(0), dy = c.dy(), dx = new float[x.length];
        for (int i = 0; i < dx.length; i++) dx[i] = (float) (dy[i] * f.at(x[i], y[i]));
        return new float[][] {dx};
    }

    static float[][] relu(GradContext c, BackwardLoops loops) {
        float[] x = c.in(0), dy = c.dy(), dx = new float[x.length];
        loops.reluBackward(x, dy, dx, x.length);
        return new float[][] {dx};
    }

    private static float[][] clip(GradContext c) {
        float lo = Float.NEGATIVE_INFINITY, hi = Float.POSITIVE_INFINITY;
        if (c.opset() < 11) {
            lo = c.attributes().getFloat("min", lo);
            hi = c.attributes().getFloat("max", hi);
        } else {
            if (c.hasInput(1)) lo = c.in(1)[0];
            if (c.hasInput(2)) hi = c.in(2)[0];
        }
        float l = lo, h = hi;
        float[][] r = unary(c, (x, y) -> x >= l && x <= h ? 1 : 0);
        return new float[][] {r[0], null, null};
    }
}
