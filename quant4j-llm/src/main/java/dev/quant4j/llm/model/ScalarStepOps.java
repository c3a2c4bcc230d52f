package dev.quant4j.llm.model;

/** {@link StepOps} in plain loops, in index order: the reference for {@link PanamaStepOps}. */
final class ScalarStepOps implements StepOps {
    @Override public void scores(float[] q, int qo, float[] kT, int ko, int stride, int hs, int n, float[] out, int oo) {
        for (int t = 0; t < n; t++) {
            float s = 0;
            for (int i = 0; i < hs; i++) s += q[qo + i] * kT[ko + i * stride + t];
            out[oo + t] = s;
        }
    }

    @Override public float expShifted(float[] s, int n, float max) {
        float sum = 0;
        for (int t = 0; t < n; t++) sum += s[t] = (float) Math.exp(s[t] - max);
        return sum;
    }

    @Override public void weightedSum(float[] p, int n, float[] v, int vo, int stride, int hs, float[] out, int oo) {
        for (int i = 0; i < hs; i++) {
            float s = 0;
            for (int t = 0; t < n; t++) s += p[t] * v[vo + t * stride + i];
            out[oo + i] = s;
        }
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
