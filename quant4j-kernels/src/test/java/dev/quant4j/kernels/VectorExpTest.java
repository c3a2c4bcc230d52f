package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The Vector API exp (the runtime's Softmax and Sigmoid, the LLM decoder's softmax and SwiGLU) against Math.exp in double: within 2 ulp over
 * the whole float range it covers, exact at the edges (0, ±∞, NaN, overflow, underflow).
 */
class VectorExpTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    private static float[] exp(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) VectorExp.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        return y;
    }

    @Test
    void withinTwoUlpOfTheCorrectlyRoundedValue() {
        int n = 1 << 20;
        float[] x = new float[n];
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < n; i++) x[i] = i < n / 2 ? -104f + 193f * i / (n / 2) : (float) (rnd.nextGaussian() * 10);
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double ref = Math.exp(x[i]);
            float r = (float) ref;
            double ulp = Math.ulp(r == 0 ? Float.MIN_VALUE : r);
            if (Float.isInfinite(r)) { assertEquals(r, y[i], "exp(" + x[i] + ")"); continue; }
            worst = Math.max(worst, Math.abs(y[i] - ref) / ulp);
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void edgesAreExact() {
        float[] x = new float[L * 2];
        float[] v = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 89f, -105f, 1f, -1f, 88.7f};
        for (int i = 0; i < x.length; i++) x[i] = v[i % v.length];
        float[] y = exp(x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.exp(x[i]);
            if (Float.isNaN(want)) assertTrue(Float.isNaN(y[i]));
            else if (x[i] == 0 || Float.isInfinite(x[i]) || x[i] == 89f || x[i] == -105f) assertEquals(want, y[i], "exp(" + x[i] + ")");
            else assertEquals(want, y[i], Math.ulp(want) * 2, "exp(" + x[i] + ")");
        }
    }
}
