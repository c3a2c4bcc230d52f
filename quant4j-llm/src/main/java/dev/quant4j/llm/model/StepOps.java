package dev.quant4j.llm.model;

import java.util.Locale;

/**
 * The vector arithmetic of a decode step besides the matrix products: attention's scores,
 * softmax and weighted sums, RMSNorm's sum of squares, SwiGLU. Small, but at two threads it was a sixth of
 * a 1B model's step as scalar loops (a float sum in a loop is one add per 4 cycles: the compiler
 * may not reorder it). {@link #best()} picks the Vector API implementation once, when 256-bit or
 * wider vectors are there; {@link ScalarStepOps} is the reference the tests hold it to.
 */
interface StepOps {
    /**
     * Attention scores against keys stored transposed (dimension-major): out[oo+t] = Σ_{i < hs}
     * q[qo+i]·kT[ko + i·stride + t] for t < n. Each score sums in i order.
     */
    void scores(float[] q, int qo, float[] kT, int ko, int stride, int hs, int n, float[] out, int oo);

    /** s[t] = e^(s[t] − max) for t < n; returns their sum. */
    float expShifted(float[] s, int n, float max);

    /** out[oo+i] = Σ_{t < n} p[t]·v[vo + t·stride + i] for i < hs, each sum in t order. */
    void weightedSum(float[] p, int n, float[] v, int vo, int stride, int hs, float[] out, int oo);

    /** Σ x[xo+i]², i < n. */
    float sumSquares(float[] x, int xo, int n);

    /** g[i] = silu(g[i])·u[i] = g[i] / (1 + e^−g[i]) · u[i] for i in [off, off+n). */
    void swiglu(float[] g, float[] u, int off, int n);

    String name();

    static StepOps best() { return Holder.BEST; }

    final class Holder {
        private Holder() {}

        static final StepOps BEST = choose();

        private static StepOps choose() {
            if ("scalar".equals(System.getProperty("quant4j.llm.stepOps", "").toLowerCase(Locale.ROOT))) return new ScalarStepOps();
            try {
                return PanamaStepOps.usable() ? new PanamaStepOps() : new ScalarStepOps();
            } catch (LinkageError e) { // jdk.incubator.vector not in the module graph
                return new ScalarStepOps();
            }
        }
    }
}
