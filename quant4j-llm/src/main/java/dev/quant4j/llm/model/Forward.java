package dev.quant4j.llm.model;

import dev.quant4j.llm.quant.RowParallel;
import dev.quant4j.llm.quant.WeightMatrix;

/**
 * The production forward pass of a {@link LlamaModel} with its KV cache: fp32 activations, every
 * linear layer through {@link WeightMatrix#matvec} (decode) or {@link WeightMatrix#matmul}
 * (prefill), so the same code runs whatever the weights' GGML type.
 *
 * <p>One instance is one sequence; it is not thread-safe (the matrix products use the threads).
 */
public final class Forward {
    /** Sees the input of each linear layer (calibration); called once per matrix per token. */
    public interface InputObserver {
        void observe(String matrix, float[] x, int off, int len);
    }

    private final LlamaModel model;
    private final LlamaConfig c;
    private final int threads;
    private final boolean quantizedActivations;
    private final Layer[] layers;
    private final WeightMatrix embd, output;
    private final float[] outputNorm;
    /**
     * Keys in blocks of {@link #KEY_BLOCK} positions, dimension-major within a block, so that a
     * head's scores are vectors over positions read from one contiguous tile:
     * [layer][((kvHead · blocks + pos / KEY_BLOCK) · headSize + i) · KEY_BLOCK + pos % KEY_BLOCK].
     * (Plain dimension-major rows, one per dimension at a stride of seqLen, were read 64 streams at
     * a time, 4 KB apart.) Values position-major: [layer][pos · kvDim + i].
     */
    private final float[][] keyCache, valueCache;
    private static final int KEY_BLOCK = 32;
    private final int keyBlocks;
    private final float[] invFreq, ropeCos, ropeSin;
    private int ropePos = -1;
    private InputObserver observer;
    // decode buffers
    private final float[] x, xb, q, k, v, att, hb, hb2, logits, scores;

    private record Layer(String prefix, float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                         float[] ffnNorm, WeightMatrix gate, WeightMatrix up, WeightMatrix down) {}

    /**
     * Decodes with 8-bit activations for the 4-bit types ({@link WeightMatrix#matvecQuantizedInput},
     * as llama.cpp does) unless {@code -Dquant4j.llm.floatActivations=true}.
     */
    public Forward(LlamaModel model, int threads) {
        this(model, threads, !Boolean.getBoolean("quant4j.llm.floatActivations"));
    }

    /** {@code quantizedActivations}: decode steps use {@link WeightMatrix#matvecQuantizedInput}, else the exact matvec. */
    public Forward(LlamaModel model, int threads, boolean quantizedActivations) {
        this.model = model;
        this.c = model.config();
        this.threads = threads;
        this.quantizedActivations = quantizedActivations;
        layers = new Layer[c.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "blk." + l + ".";
            layers[l] = new Layer(p, model.norm(p + "attn_norm.weight"), model.matrix(p + "attn_q.weight"), model.matrix(p + "attn_k.weight"),
                    model.matrix(p + "attn_v.weight"), model.matrix(p + "attn_output.weight"), model.norm(p + "ffn_norm.weight"),
                    model.matrix(p + "ffn_gate.weight"), model.matrix(p + "ffn_up.weight"), model.matrix(p + "ffn_down.weight"));
        }
        embd = model.matrix("token_embd.weight");
        output = model.matrix("output.weight");
        outputNorm = model.norm("output_norm.weight");
        keyBlocks = (c.seqLen() + KEY_BLOCK - 1) / KEY_BLOCK;
        keyCache = new float[c.nLayers()][Math.multiplyExact(keyBlocks * KEY_BLOCK, c.kvDim())];
        valueCache = new float[c.nLayers()][Math.multiplyExact(c.seqLen(), c.kvDim())];
        int hs = c.headSize();
        invFreq = new float[hs / 2];
        for (int i = 0; i < hs / 2; i++) invFreq[i] = (float) Math.pow(c.ropeTheta(), -2.0 * i / hs);
        ropeCos = new float[hs / 2];
        ropeSin = new float[hs / 2];
        x = new float[c.dim()];
        xb = new float[c.dim()];
        q = new float[c.dim()];
        k = new float[c.kvDim()];
        v = new float[c.kvDim()];
        att = new float[c.dim()];
        hb = new float[c.hiddenDim()];
        hb2 = new float[c.hiddenDim()];
        logits = new float[c.vocabSize()];
        scores = new float[c.seqLen()];
    }

    public LlamaModel model() { return model; }

    public void setObserver(InputObserver observer) { this.observer = observer; }

    /**
     * Runs {@code token} at position {@code pos} (positions 0..pos-1 must already be in the cache)
     * and returns the logits; the array is reused by the next call.
     */
    public float[] forward(int token, int pos) {
        checkPosition(token, pos, 1);
        embd.dequantizeRow(token, x);
        int dim = c.dim(), kvDim = c.kvDim();
        for (int l = 0; l < layers.length; l++) {
            Layer L = layers[l];
            rmsNorm(x, 0, L.attnNorm, xb, 0, dim);
            mul3(L.wq, L.wk, L.wv, xb, q, k, v, "attn_q", "attn_k", "attn_v", L);
            ropeTable(pos);
            rope(q, 0, dim);
            rope(k, 0, kvDim);
            storeKeys(l, k, 0, pos, 1);
            System.arraycopy(v, 0, valueCache[l], pos * kvDim, kvDim);
            attend(l, q, 0, pos, att, 0);
            mul(L.wo, att, 0, xb, 0, "attn_output", L);
            for (int i = 0; i < dim; i++) x[i] += xb[i];
            rmsNorm(x, 0, L.ffnNorm, xb, 0, dim);
            mul3(L.gate, L.up, null, xb, hb, hb2, null, "ffn_gate", "ffn_up", null, L);
            swiglu(hb, hb2, 0, c.hiddenDim());
            mul(L.down, hb, 0, xb, 0, "ffn_down", L);
            for (int i = 0; i < dim; i++) x[i] += xb[i];
        }
        rmsNorm(x, 0, outputNorm, xb, 0, dim);
        if (observer != null) observer.observe("output.weight", xb, 0, dim);
        if (quantizedActivations) output.matvecQuantizedInput(xb, 0, logits, 0, threads);
        else output.matvec(xb, 0, logits, 0, threads);
        return logits;
    }

    /**
     * Runs {@code tokens} at positions start.. start+n-1 as one batch (each weight matrix streamed
     * once for all of them) and returns the logits of the last one (a fresh array).
     */
    public float[] prefill(int[] tokens, int start) {
        int m = tokens.length;
        if (m == 0) throw new IllegalArgumentException("prefill of no tokens");
        for (int t : tokens) checkPosition(t, start, m);
        int dim = c.dim(), kvDim = c.kvDim(), hid = c.hiddenDim();
        float[] X = new float[m * dim], XB = new float[m * dim], Q = new float[m * dim], K = new float[m * kvDim], V = new float[m * kvDim],
                A = new float[m * dim], H = new float[m * hid], H2 = new float[m * hid];
        float[] row = new float[dim];
        for (int i = 0; i < m; i++) {
            embd.dequantizeRow(tokens[i], row);
            System.arraycopy(row, 0, X, i * dim, dim);
        }
        for (int l = 0; l < layers.length; l++) {
            Layer L = layers[l];
            for (int i = 0; i < m; i++) rmsNorm(X, i * dim, L.attnNorm, XB, i * dim, dim);
            L.wq.matmul(XB, m, Q, threads);
            L.wk.matmul(XB, m, K, threads);
            L.wv.matmul(XB, m, V, threads);
            for (int i = 0; i < m; i++) {
                ropeTable(start + i);
                rope(Q, i * dim, dim);
                rope(K, i * kvDim, kvDim);
            }
            storeKeys(l, K, 0, start, m);
            System.arraycopy(V, 0, valueCache[l], start * kvDim, m * kvDim);
            for (int i = 0; i < m; i++) attend(l, Q, i * dim, start + i, A, i * dim);
            L.wo.matmul(A, m, XB, threads);
            for (int i = 0; i < m * dim; i++) X[i] += XB[i];
            for (int i = 0; i < m; i++) rmsNorm(X, i * dim, L.ffnNorm, XB, i * dim, dim);
            L.gate.matmul(XB, m, H, threads);
            L.up.matmul(XB, m, H2, threads);
            swiglu(H, H2, 0, m * hid);
            L.down.matmul(H, m, XB, threads);
            for (int i = 0; i < m * dim; i++) X[i] += XB[i];
        }
        rmsNorm(X, (m - 1) * dim, outputNorm, xb, 0, dim);
        float[] out = new float[c.vocabSize()];
        output.matvec(xb, 0, out, 0, threads);
        return out;
    }

    private void checkPosition(int token, int pos, int count) {
        if (token < 0 || token >= c.vocabSize()) throw new IllegalArgumentException("token " + token + " outside the vocabulary [0, " + c.vocabSize() + ")");
        if (pos < 0 || pos + count > c.seqLen()) throw new IllegalArgumentException("positions " + pos + ".." + (pos + count - 1) + " outside the context of " + c.seqLen());
    }

    private void mul(WeightMatrix w, float[] in, int inOff, float[] out, int outOff, String kind, Layer L) {
        if (observer != null) observer.observe(L.prefix + kind + ".weight", in, inOff, w.cols());
        if (quantizedActivations) w.matvecQuantizedInput(in, inOff, out, outOff, threads);
        else w.matvec(in, inOff, out, outOff, threads);
    }

    /**
     * Two or three products of the same input in one parallel pass (x quantized once). The third
     * matrix may be null.
     */
    private void mul3(WeightMatrix a, WeightMatrix b, WeightMatrix c, float[] in, float[] ya, float[] yb, float[] yc,
                      String ka, String kb, String kc, Layer L) {
        if (observer != null) {
            observer.observe(L.prefix + ka + ".weight", in, 0, a.cols());
            observer.observe(L.prefix + kb + ".weight", in, 0, b.cols());
            if (c != null) observer.observe(L.prefix + kc + ".weight", in, 0, c.cols());
        }
        WeightMatrix[] ws = c == null ? new WeightMatrix[] {a, b} : new WeightMatrix[] {a, b, c};
        float[][] ys = c == null ? new float[][] {ya, yb} : new float[][] {ya, yb, yc};
        WeightMatrix.matvecs(ws, in, 0, ys, quantizedActivations, threads);
    }

    private void rmsNorm(float[] in, int inOff, float[] w, float[] out, int outOff, int n) {
        float ss = OPS.sumSquares(in, inOff, n);
        float scale = (float) (1.0 / Math.sqrt(ss / n + c.normEps()));
        for (int i = 0; i < n; i++) out[outOff + i] = w[i] * (scale * in[inOff + i]);
    }

    /** The rotation of each pair of a head at {@code pos}: computed once per position, not per layer and head. */
    private void ropeTable(int pos) {
        if (pos == ropePos) return;
        for (int j = 0; j < invFreq.length; j++) {
            double angle = pos * (double) invFreq[j];
            ropeCos[j] = (float) Math.cos(angle);
            ropeSin[j] = (float) Math.sin(angle);
        }
        ropePos = pos;
    }

    /** llama2.c's RoPE: adjacent pairs of each head rotated by pos · theta^(-2i/head_size) (see {@link #ropeTable}). */
    private void rope(float[] vec, int off, int n) {
        int hs = c.headSize();
        for (int i = 0; i < n; i += 2) {
            float cos = ropeCos[(i % hs) / 2], sin = ropeSin[(i % hs) / 2];
            float a = vec[off + i], b = vec[off + i + 1];
            vec[off + i] = a * cos - b * sin;
            vec[off + i + 1] = a * sin + b * cos;
        }
    }

    private void attend(int layer, float[] qv, int qOff, int pos, float[] out, int outOff) {
        // heads are independent: at a long context they are worth the threads (each range its own scores)
        long work = 2L * c.nHeads() * (pos + 1) * c.headSize();
        RowParallel.run(c.nHeads(), threads, work, (from, to) -> attendHeads(layer, qv, qOff, pos, out, outOff, from, to,
                from == 0 ? scores : new float[pos + 1]));
    }

    /** Keys of positions pos..pos+n-1 (n rows of kvDim in src from srcOff) into the layer's blocked cache. */
    private void storeKeys(int layer, float[] src, int srcOff, int pos, int n) {
        int hs = c.headSize(), kvDim = c.kvDim();
        float[] kc = keyCache[layer];
        for (int t = pos; t < pos + n; t++)
            for (int j = 0; j < kvDim; j++)
                kc[((j / hs * keyBlocks + t / KEY_BLOCK) * hs + j % hs) * KEY_BLOCK + t % KEY_BLOCK] = src[srcOff + (t - pos) * kvDim + j];
    }

    private void attendHeads(int layer, float[] qv, int qOff, int pos, float[] out, int outOff, int h0, int h1, float[] sc) {
        int hs = c.headSize(), kvDim = c.kvDim(), n = pos + 1;
        float[] kc = keyCache[layer], vc = valueCache[layer];
        float inv = (float) (1.0 / Math.sqrt(hs));
        for (int h = h0; h < h1; h++) {
            int qo = qOff + h * hs, g = h / c.kvMul();
            for (int b = 0; b * KEY_BLOCK < n; b++)
                OPS.combineRows(qv, qo, hs, kc, (g * keyBlocks + b) * hs * KEY_BLOCK, KEY_BLOCK, Math.min(KEY_BLOCK, n - b * KEY_BLOCK), sc, b * KEY_BLOCK);
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) max = Math.max(max, sc[t] *= inv);
            float r = 1 / OPS.expShifted(sc, n, max);
            int oo = outOff + h * hs;
            OPS.combineRows(sc, 0, n, vc, g * hs, kvDim, hs, out, oo);
            for (int i = 0; i < hs; i++) out[oo + i] *= r;
        }
    }

    private static void swiglu(float[] g, float[] u, int off, int n) {
        OPS.swiglu(g, u, off, n);
    }

    private static final StepOps OPS = StepOps.best();
}
