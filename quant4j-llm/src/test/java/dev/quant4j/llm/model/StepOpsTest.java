package dev.quant4j.llm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API step operations against float64 sums over every length up to 5 vectors plus
 * tails and at odd offsets and strides (and the scalar reference held to the same bounds). Bounds: a float
 * sum of n products may be off by about n·2⁻²⁴ of Σ|products|; SwiGLU by a few ulps.
 */
class StepOpsTest {
    private static final Random RND = new Random(7);

    private static float[] randoms(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (RND.nextGaussian() * scale);
        return a;
    }

    private static void check(StepOps ops) {
        for (int n = 0; n <= 5 * 8 + 7; n++) {
            for (int off : new int[] {0, 1, 5}) {
                // a vector times rows `stride` apart: count rows, width outputs (attention's scores and weighted sums)
                for (int count : new int[] {0, 1, 7, 64}) {
                    int width = n, stride = width + 3;
                    float[] av = randoms(count + off, 1), m = randoms(off + count * stride + 1, 1), out = new float[width + 2 + off];
                    ops.combineRows(av, off, count, m, off, stride, width, out, off);
                    for (int j = 0; j < off; j++) assertEquals(0, out[j], ops.name() + " combineRows wrote before oo");
                    for (int j = 0; j < width; j++) {
                        double exact = 0, mag = 0;
                        for (int k = 0; k < count; k++) {
                            exact += (double) av[off + k] * m[off + k * stride + j];
                            mag += Math.abs((double) av[off + k] * m[off + k * stride + j]);
                        }
                        assertEquals(exact, out[off + j], (count + 2) * 0x1p-24 * mag + 1e-30,
                                ops.name() + " combineRows count=" + count + " width=" + width + " j=" + j);
                    }
                    assertEquals(0, out[off + width], ops.name() + " combineRows wrote past width");
                }

                float[] a = randoms(n + off + 3, 1);
                double sq = 0;
                for (int i = 0; i < n; i++) sq += (double) a[off + i] * a[off + i];
                assertEquals(sq, ops.sumSquares(a, off, n), (n + 2) * 0x1p-24 * sq + 1e-30, ops.name() + " sumSquares n=" + n);

                float[] e = randoms(n + 2, 5), e0 = e.clone();
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) max = Math.max(max, e[t]);
                float sum = ops.expShifted(e, n, max);
                double exactSum = 0;
                for (int t = 0; t < n; t++) {
                    double want = Math.exp(e0[t] - max); // the shift in float, as the contract says
                    exactSum += want;
                    assertEquals(want, e[t], 4 * Math.ulp((float) want) + 1e-37, ops.name() + " expShifted n=" + n + " t=" + t);
                }
                assertEquals(exactSum, sum, (n + 8) * 0x1p-24 * exactSum + 1e-30, ops.name() + " expShifted sum n=" + n);
                assertEquals(e0[n], e[n], ops.name() + " expShifted wrote past n");

                float[] g = randoms(n + off + 3, 6), u = randoms(n + off + 3, 1), g0 = g.clone();
                ops.swiglu(g, u, off, n);
                for (int i = 0; i < g.length; i++) {
                    boolean inside = i >= off && i < off + n;
                    double want = inside ? g0[i] / (1 + Math.exp(-(double) g0[i])) * u[i] : g0[i];
                    assertEquals(want, g[i], inside ? 4 * Math.ulp((float) want) + 1e-30 : 0, ops.name() + " swiglu n=" + n + " i=" + i + " g=" + g0[i]);
                }
            }
        }
    }

    @Test void scalarReference() { check(new ScalarStepOps()); }

    @Test void vectorApiMatchesFloat64() {
        assumeTrue(PanamaStepOps.usable(), "no 256-bit vectors here");
        check(new PanamaStepOps());
    }

    @Test void swigluOfLargeMagnitudesStaysFinite() {
        for (StepOps ops : new StepOps[] {new ScalarStepOps(), new PanamaStepOps()}) {
            float[] g = {-200f, -90f, 90f, 200f, 0f, -0f, 1e-30f, -1e-30f, 40f, -40f, 20f, -20f, 3f, -3f, 1f, -1f, 88f};
            float[] u = new float[g.length];
            java.util.Arrays.fill(u, 1f);
            float[] g0 = g.clone();
            ops.swiglu(g, u, 0, g.length);
            for (int i = 0; i < g.length; i++) {
                double want = g0[i] / (1 + Math.exp(-(double) g0[i]));
                assertEquals(want, g[i], 4 * Math.ulp((float) want) + 1e-37, ops.name() + " g=" + g0[i]);
            }
        }
    }

    /** Every 1/64 from −100 to 100, with u = 1: the exponential's polynomial over all of its reduced range and both signs. */
    @Test void swigluSweep() {
        assumeTrue(PanamaStepOps.usable(), "no 256-bit vectors here");
        int n = 200 * 64 + 1;
        float[] g = new float[n], u = new float[n];
        for (int i = 0; i < n; i++) { g[i] = -100f + i / 64f; u[i] = 1f; }
        float[] g0 = g.clone();
        new PanamaStepOps().swiglu(g, u, 0, n);
        double worst = 0, at = Double.NaN;
        for (int i = 0; i < n; i++) {
            double want = g0[i] / (1 + Math.exp(-(double) g0[i]));
            // below e^-87.3 the exponential is subnormal or 0, with few significant bits: an absolute error up to |g|·e^-87.3
            double err = Math.abs(g[i] - want) - Math.abs(g0[i]) * Math.exp(-87.3) * (g0[i] < -87.3f ? 1 : 0);
            if (err / Math.ulp((float) want) > worst) { worst = err / Math.ulp((float) want); at = g0[i]; }
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulps, at g = " + at);
    }

    @Test void bestIsTheVectorApiWhereItIsUsable() {
        assertEquals(PanamaStepOps.usable() ? new PanamaStepOps().name() : "scalar", StepOps.best().name());
    }
}
