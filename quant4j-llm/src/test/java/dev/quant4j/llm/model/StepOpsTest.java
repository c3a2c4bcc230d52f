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
                // scores against dimension-major keys: hs dimensions, rows of `stride` positions
                for (int hs : new int[] {1, 7, 64}) {
                    int stride = n + 3;
                    float[] q = randoms(hs + off, 1), kT = randoms(off + hs * stride, 1), out = new float[n + 2 + off];
                    ops.scores(q, off, kT, off, stride, hs, n, out, off);
                    for (int t = 0; t < off; t++) assertEquals(0, out[t], ops.name() + " scores wrote before oo");
                    for (int t = 0; t < n; t++) {
                        double exact = 0, mag = 0;
                        for (int i = 0; i < hs; i++) {
                            exact += (double) q[off + i] * kT[off + i * stride + t];
                            mag += Math.abs((double) q[off + i] * kT[off + i * stride + t]);
                        }
                        assertEquals(exact, out[off + t], (hs + 2) * 0x1p-24 * mag + 1e-30, ops.name() + " scores hs=" + hs + " n=" + n + " t=" + t);
                    }
                    assertEquals(0, out[off + n], ops.name() + " scores wrote past n");

                    // weighted sum of value rows of `stride2` floats
                    int stride2 = hs + 5;
                    float[] p = randoms(n, 1), v = randoms(off + n * stride2 + hs, 1), o = new float[off + hs + 2];
                    ops.weightedSum(p, n, v, off, stride2, hs, o, off);
                    for (int i = 0; i < hs; i++) {
                        double exact = 0, mag = 0;
                        for (int t = 0; t < n; t++) {
                            exact += (double) p[t] * v[off + t * stride2 + i];
                            mag += Math.abs((double) p[t] * v[off + t * stride2 + i]);
                        }
                        assertEquals(exact, o[off + i], (n + 2) * 0x1p-24 * mag + 1e-30, ops.name() + " weightedSum hs=" + hs + " n=" + n + " i=" + i);
                    }
                    assertEquals(0, o[off + hs], ops.name() + " weightedSum wrote past hs");
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
            // below e^-87.3 the exponential is flushed to 0: an absolute error of at most |g|·e^-87.3
            double err = Math.abs(g[i] - want) - Math.abs(g0[i]) * Math.exp(-87.3) * (g0[i] < -87.3f ? 1 : 0);
            if (err / Math.ulp((float) want) > worst) { worst = err / Math.ulp((float) want); at = g0[i]; }
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulps, at g = " + at);
    }

    @Test void bestIsTheVectorApiWhereItIsUsable() {
        assertEquals(PanamaStepOps.usable() ? new PanamaStepOps().name() : "scalar", StepOps.best().name());
    }
}
