package dev.quant4j.llm.model;

/** {@link StepOps} in plain loops, in index order: the reference for {@link PanamaStepOps}. */
final class ScalarStepOps implements StepOps {
    @Override public void combineRows(float[] a, int ao, int count, float[] m, int mo, int stride, int width, float[] out, int oo) {
        for (int j = 0; j < width; j++) {
            float s = 0;
            for (int k = 0; k < count; k++) s += a[ao + k] * m[mo + k * stride + j];
            out[oo + j] = s;
        }
    }

    @Override public float expShifted(float[] s, int n, float max) {
        float sum = 0;
        for (int t = 0; t < n; t++) sum += s[t] = (float) Math.exp(s[t] - max);
        return sum;
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
