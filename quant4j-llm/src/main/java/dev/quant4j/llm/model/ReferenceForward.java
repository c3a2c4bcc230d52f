package dev.quant4j.llm.model;

import java.util.Map;

/**
 * The test oracle: a Llama forward pass in float64, written as plainly as possible and sharing no
 * code with {@link Forward}. Weights are widened to double once; every sum is a double sum.
 *
 * <p>RoPE is the llama2.c form: adjacent pairs (x[2i], x[2i+1]) of each head are rotated by
 * pos · theta^(-2i / head_size). llama.cpp's "normal" rope for LLaMA is the same rotation.
 */
public final class ReferenceForward {
    private final LlamaConfig c;
    private final double[][] embd, out;
    private final double[] finalNorm;
    private final double[][] attnNorm, ffnNorm;
    private final double[][][] wq, wk, wv, wo, w1, w2, w3;
    private final double[][][] keyCache, valueCache; // [layer][pos][kvDim]
    private final boolean halves;

    /** @param tensors row-major float32 tensors under llama.cpp names (norms as 1 × dim) */
    public ReferenceForward(LlamaConfig c, Map<String, float[]> tensors) {
        this(c, tensors, false);
    }

    /**
     * @param rotateHalves RoPE as Hugging Face applies it, to the pairs (x[i], x[i + head/2]) of
     *        each head, for weights in Hugging Face's layout (else llama2.c's adjacent pairs)
     */
    public ReferenceForward(LlamaConfig c, Map<String, float[]> tensors, boolean rotateHalves) {
        this.c = c;
        this.halves = rotateHalves;
        int L = c.nLayers();
        embd = matrix(tensors, "token_embd.weight", c.vocabSize(), c.dim());
        out = matrix(tensors, "output.weight", c.vocabSize(), c.dim());
        finalNorm = matrix(tensors, "output_norm.weight", 1, c.dim())[0];
        attnNorm = new double[L][];
        ffnNorm = new double[L][];
        wq = new double[L][][]; wk = new double[L][][]; wv = new double[L][][]; wo = new double[L][][];
        w1 = new double[L][][]; w2 = new double[L][][]; w3 = new double[L][][];
        for (int l = 0; l < L; l++) {
            String p = "blk." + l + ".";
            attnNorm[l] = matrix(tensors, p + "attn_norm.weight", 1, c.dim())[0];
            ffnNorm[l] = matrix(tensors, p + "ffn_norm.weight", 1, c.dim())[0];
            wq[l] = matrix(tensors, p + "attn_q.weight", c.dim(), c.dim());
            wk[l] = matrix(tensors, p + "attn_k.weight", c.kvDim(), c.dim());
            wv[l] = matrix(tensors, p + "attn_v.weight", c.kvDim(), c.dim());
            wo[l] = matrix(tensors, p + "attn_output.weight", c.dim(), c.dim());
            w1[l] = matrix(tensors, p + "ffn_gate.weight", c.hiddenDim(), c.dim());
            w2[l] = matrix(tensors, p + "ffn_down.weight", c.dim(), c.hiddenDim());
            w3[l] = matrix(tensors, p + "ffn_up.weight", c.hiddenDim(), c.dim());
        }
        keyCache = new double[L][c.seqLen()][];
        valueCache = new double[L][c.seqLen()][];
    }

    private static double[][] matrix(Map<String, float[]> t, String name, int rows, int cols) {
        float[] a = t.get(name);
        if (a == null) throw new IllegalArgumentException("reference forward: missing tensor " + name);
        if (a.length != rows * cols) throw new IllegalArgumentException("reference forward: " + name + " has " + a.length + " elements, expected " + rows + "x" + cols);
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) m[r][j] = a[r * cols + j];
        return m;
    }

    /** Logits for {@code token} at position {@code pos}; positions must be fed in order 0, 1, 2, ... */
    public double[] forward(int token, int pos) {
        int dim = c.dim(), hs = c.headSize();
        double[] x = embd[token].clone();
        for (int l = 0; l < c.nLayers(); l++) {
            double[] xn = rmsNorm(x, attnNorm[l]);
            double[] q = mul(wq[l], xn), k = mul(wk[l], xn), v = mul(wv[l], xn);
            rope(q, pos);
            rope(k, pos);
            keyCache[l][pos] = k;
            valueCache[l][pos] = v;
            double[] att = new double[dim];
            for (int h = 0; h < c.nHeads(); h++) {
                int kvOff = (h / c.kvMul()) * hs;
                double[] score = new double[pos + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t <= pos; t++) {
                    double s = 0;
                    for (int i = 0; i < hs; i++) s += q[h * hs + i] * keyCache[l][t][kvOff + i];
                    score[t] = s / Math.sqrt(hs);
                    max = Math.max(max, score[t]);
                }
                double sum = 0;
                for (int t = 0; t <= pos; t++) { score[t] = Math.exp(score[t] - max); sum += score[t]; }
                for (int t = 0; t <= pos; t++)
                    for (int i = 0; i < hs; i++) att[h * hs + i] += score[t] / sum * valueCache[l][t][kvOff + i];
            }
            double[] o = mul(wo[l], att);
            for (int i = 0; i < dim; i++) x[i] += o[i];
            double[] xf = rmsNorm(x, ffnNorm[l]);
            double[] g = mul(w1[l], xf), u = mul(w3[l], xf);
            for (int i = 0; i < g.length; i++) g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
            double[] d = mul(w2[l], g);
            for (int i = 0; i < dim; i++) x[i] += d[i];
        }
        return mul(out, rmsNorm(x, finalNorm));
    }

    private double[] rmsNorm(double[] x, double[] w) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double scale = 1 / Math.sqrt(ss / x.length + c.normEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = w[i] * x[i] * scale;
        return y;
    }

    private void rope(double[] v, int pos) {
        int hs = c.headSize();
        if (halves) {
            for (int h = 0; h < v.length / hs; h++)
                for (int i = 0; i < hs / 2; i++) {
                    double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / hs);
                    double cos = Math.cos(angle), sin = Math.sin(angle);
                    int a0 = h * hs + i, b0 = a0 + hs / 2;
                    double a = v[a0], b = v[b0];
                    v[a0] = a * cos - b * sin;
                    v[b0] = a * sin + b * cos;
                }
            return;
        }
        for (int i = 0; i < v.length; i += 2) {
            int j = i % hs;
            double angle = pos * Math.pow(c.ropeTheta(), -(double) j / hs);
            double cos = Math.cos(angle), sin = Math.sin(angle);
            double a = v[i], b = v[i + 1];
            v[i] = a * cos - b * sin;
            v[i + 1] = a * sin + b * cos;
        }
    }

    private static double[] mul(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int r = 0; r < w.length; r++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) s += w[r][j] * x[j];
            y[r] = s;
        }
        return y;
    }
}
