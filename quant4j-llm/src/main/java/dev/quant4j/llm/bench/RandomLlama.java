package dev.quant4j.llm.bench;

import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Llama model with random weights, for speed measurements only. Each matrix is built from a
 * pool of 64 rows of Gaussian weights quantized with the type's real encoder, each row of the
 * matrix copied from a randomly chosen pool row: the bytes are realistic for the type and
 * building a 1B-parameter model takes seconds rather than a full quantization.
 */
public final class RandomLlama {
    private RandomLlama() {}

    /** A ~1.1B-parameter shape (TinyLlama-1.1B's: dim 2048, 22 layers, 32 heads, 4 KV heads, FFN 5632, vocab 32000). */
    public static LlamaConfig oneBillion(int seqLen) {
        return new LlamaConfig(2048, 5632, 22, 32, 4, 32000, seqLen, 10000f, 1e-5f);
    }

    public static long parameters(LlamaConfig c) {
        long d = c.dim(), kv = c.kvDim(), h = c.hiddenDim();
        return 2L * c.vocabSize() * d + c.nLayers() * (2 * d * d + 2 * kv * d + 3 * h * d + 2 * d) + d;
    }

    /** Every matrix in {@code type}, allocated in {@code arena} (close it to free the model). */
    public static LlamaModel build(LlamaConfig c, GgmlType type, long seed, Arena arena) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Integer, WeightMatrix> pools = new LinkedHashMap<>();
        Map<String, WeightMatrix> m = new LinkedHashMap<>();
        Map<String, float[]> n = new LinkedHashMap<>();
        m.put("token_embd.weight", matrix(type, c.vocabSize(), c.dim(), pools, rnd, arena));
        m.put("output.weight", matrix(type, c.vocabSize(), c.dim(), pools, rnd, arena));
        float[] ones = new float[c.dim()];
        Arrays.fill(ones, 1f);
        n.put("output_norm.weight", ones);
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".";
            n.put(p + "attn_norm.weight", ones);
            n.put(p + "ffn_norm.weight", ones);
            m.put(p + "attn_q.weight", matrix(type, c.dim(), c.dim(), pools, rnd, arena));
            m.put(p + "attn_k.weight", matrix(type, c.kvDim(), c.dim(), pools, rnd, arena));
            m.put(p + "attn_v.weight", matrix(type, c.kvDim(), c.dim(), pools, rnd, arena));
            m.put(p + "attn_output.weight", matrix(type, c.dim(), c.dim(), pools, rnd, arena));
            m.put(p + "ffn_gate.weight", matrix(type, c.hiddenDim(), c.dim(), pools, rnd, arena));
            m.put(p + "ffn_up.weight", matrix(type, c.hiddenDim(), c.dim(), pools, rnd, arena));
            m.put(p + "ffn_down.weight", matrix(type, c.dim(), c.hiddenDim(), pools, rnd, arena));
        }
        return new LlamaModel(c, m, n);
    }

    private static WeightMatrix matrix(GgmlType type, int rows, int cols, Map<Integer, WeightMatrix> pools, SplittableRandom rnd, Arena arena) {
        WeightMatrix pool = pools.computeIfAbsent(cols, k -> {
            float[] w = new float[64 * cols];
            double sd = 1 / Math.sqrt(cols); // keeps activations O(1) through the layers
            for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * sd);
            return WeightMatrix.quantize(type, 64, cols, w, null);
        });
        long rb = pool.rowBytes();
        MemorySegment seg = arena.allocate(rb * rows, 64);
        for (int r = 0; r < rows; r++) MemorySegment.copy(pool.data(), rnd.nextInt(64) * rb, seg, r * rb, rb);
        return new WeightMatrix(type, rows, cols, seg);
    }
}
