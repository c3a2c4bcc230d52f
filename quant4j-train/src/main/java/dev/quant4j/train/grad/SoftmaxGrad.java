package dev.quant4j.train.grad;

import dev.quant4j.train.GradContext;
import dev.quant4j.train.GradRegistry;

/**
 * Softmax and LogSoftmax from the saved output, along one axis (opset ≥ 13) or over the
 * flattened trailing block from axis on (opset < 13, default axis 1).
 * <pre>
 *   Softmax:    dx = y ⊙ (dy − Σ dy⊙y)
 *   LogSoftmax: dx = dy − exp(y) · Σ dy
 * </pre>
 */
public final class SoftmaxGrad {
    private SoftmaxGrad() {}

    public static void register(GradRegistry r) {
        r.register("Softmax", c -> grad(c, false));
        r.register("LogSoftmax", c -> grad(c, true));
    }

    private static float[][] grad(GradContext c, boolean log) {
        long[] s = c.outShape(0);
        int rank = s.length;
        boolean modern = c.opset() >= 13;
        int axis = (int) c.attributes().getInt("axis", modern ? -1 : 1);
        if (axis < 0) axis += rank;
        long outer = 1, len = 1, inner = 1;
        for (int a = 0; a < rank; a++) {
            if (a < axis) outer *= s[a];
            else if (a == axis || !modern) len *= s[a];
            else inner *= s[a];
        }
        float[] y = c.out(0), dy = c.dy(), dx = new float[y.length];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                int base = (int) (o * len * inner + in);
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    int i = (int) (base + j * inner);
                    sum += log ? dy[i] : (double) dy[i] * y[i];
                }
                for (int j = 0; j < len; j++) {
                    int i = (int) (base + j * inner);
                    dx[i] = (float) (log ? dy[i] - Math.exp(y[i]) * sum : y[i] * (dy[i] - sum));
                }
            }
        return new float[][] {dx};
    }
}
