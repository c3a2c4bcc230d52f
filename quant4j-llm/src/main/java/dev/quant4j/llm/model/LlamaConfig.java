package dev.quant4j.llm.model;

/**
 * Shape and hyper-parameters of a Llama-family decoder.
 *
 * @param dim model width (embedding size)
 * @param hiddenDim width of the SwiGLU feed-forward layer
 * @param nLayers number of transformer blocks
 * @param nHeads number of query heads
 * @param nKvHeads number of key/value heads (grouped-query attention when smaller than nHeads)
 * @param vocabSize number of tokens
 * @param seqLen longest context the KV cache holds
 * @param ropeTheta RoPE frequency base (10000 for llama2.c checkpoints)
 * @param normEps epsilon added to the mean square in RMSNorm
 */
public record LlamaConfig(int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int vocabSize,
                          int seqLen, float ropeTheta, float normEps) {

    public LlamaConfig {
        if (dim <= 0 || hiddenDim <= 0 || nLayers <= 0 || nHeads <= 0 || nKvHeads <= 0 || vocabSize <= 0 || seqLen <= 0)
            throw new IllegalArgumentException("Llama config: every size must be positive: " + describe(dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen));
        if (dim % nHeads != 0)
            throw new IllegalArgumentException("Llama config: dim " + dim + " is not a multiple of n_heads " + nHeads);
        if (nHeads % nKvHeads != 0)
            throw new IllegalArgumentException("Llama config: n_heads " + nHeads + " is not a multiple of n_kv_heads " + nKvHeads);
        if ((dim / nHeads) % 2 != 0)
            throw new IllegalArgumentException("Llama config: head size " + dim / nHeads + " is odd; RoPE rotates pairs");
        if (!(ropeTheta > 0) || !(normEps > 0))
            throw new IllegalArgumentException("Llama config: rope theta and norm epsilon must be positive");
    }

    public int headSize() { return dim / nHeads; }

    /** Width of the key and value projections. */
    public int kvDim() { return headSize() * nKvHeads; }

    /** Query heads that share one key/value head. */
    public int kvMul() { return nHeads / nKvHeads; }

    private static String describe(int... v) {
        return java.util.Arrays.toString(v);
    }
}
