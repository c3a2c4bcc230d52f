package dev.quant4j.llm.model;

import java.util.Locale;

/**
 * The vector arithmetic of a decode step besides the matrix products: attention's scores,
 * softmax and weighted sums, RMSNorm's sum of squares, SwiGLU. As scalar loops they took ~15% of a
 * 1B model's two-thread decode step at position ~30, and on one thread at position ~440 over a quarter, where
 * attention dominates (a float sum in a loop is one add per 4 cycles: the compiler
 * may not reorder it). {@link #best()} picks the Vector API implementation once, when 256-bit or
 * wider vectors are there; {@link ScalarStepOps} is the reference the tests hold it to.
 */
interface StepOps {
    /**
     * out[oo+j] = Σ_{k < count} a[ao+k]·m[mo + k·stride + j] for j < width, each sum in k order: a
     * vector times a matrix of rows `stride` apart. Attention uses it twice: scores against keys
     * stored dimension-major (a = the query, k = dimension, j = position) and the weighted sum of
     * values (a = the softmax weights, k = position, j = dimension).
     */
    void combineRows(float[] a, int ao, int count, float[] m, int mo, int stride, int width, float[] out, int oo);

    /** s[t] = e^(s[t] − max) for t < n; returns their sum. */
    float expShifted(float[] s, int n, float max);

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
