package dev.quant4j.llm.model;

/** {@link StepOps} in plain loops, in index order: the reference for {@link PanamaStepOps}. */
final class ScalarStepOps implements StepOps {
    @Override public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    @Override public void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += s * x[xo + i];
    }

    @Override public float sumSquares(float[] x, int xo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i] * x[xo + i];
        return s;
    }

    @Override public void swiglu(float[] g, float[] u, int off, int n) {
        for (int i = off; i < off + n; i++) g[i] = (float) (g[i] / (1 + Math.exp(-g[i]))) * u[i];
    }

    @Override public String name() { return "scalar"; }
}
