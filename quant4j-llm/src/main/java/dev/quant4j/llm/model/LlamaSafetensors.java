package dev.quant4j.llm.model;

import dev.quant4j.llm.quant.WeightMatrix;
import dev.quant4j.llm.safetensors.HfLlamaConfig;
import dev.quant4j.llm.safetensors.SafetensorsFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama model from Hugging Face safetensors (one file or the shards of one) and its
 * {@code config.json}. Hugging Face names map to llama.cpp's ({@code model.layers.N.self_attn.q_proj}
 * → {@code blk.N.attn_q}, ...).
 *
 * <p>Hugging Face rotates the halves of each head (x[i], x[i + head/2]) where llama2.c and GGUF
 * rotate adjacent pairs (x[2i], x[2i+1]), so the rows of q_proj and k_proj are reordered within
 * each head when loading: new row 2i + j = old row j·head/2 + i (the permutation llama.cpp's
 * converter applies). Those two matrices are copied into {@code arena}; all others view the files.
 */
public final class LlamaSafetensors {
    private LlamaSafetensors() {}

    public static LlamaModel load(List<SafetensorsFile> files, HfLlamaConfig hf, Arena arena) {
        if (hf.headDim() * hf.numAttentionHeads() != hf.hiddenSize())
            throw new IllegalArgumentException("config.json: head_dim " + hf.headDim() + " × " + hf.numAttentionHeads() + " heads != hidden_size " + hf.hiddenSize() + " (not supported)");
        LlamaConfig c = new LlamaConfig(hf.hiddenSize(), hf.intermediateSize(), hf.numHiddenLayers(), hf.numAttentionHeads(), hf.numKeyValueHeads(),
                hf.vocabSize(), hf.maxPositionEmbeddings(), (float) hf.ropeTheta(), (float) hf.rmsNormEps());
        Map<String, WeightMatrix> m = new LinkedHashMap<>();
        Map<String, float[]> n = new LinkedHashMap<>();
        m.put("token_embd.weight", matrix(files, "model.embed_tokens.weight"));
        boolean hasHead = files.stream().anyMatch(f -> f.hasTensor("lm_head.weight"));
        m.put("output.weight", hasHead ? matrix(files, "lm_head.weight") : m.get("token_embd.weight"));
        n.put("output_norm.weight", vector(files, "model.norm.weight"));
        for (int l = 0; l < c.nLayers(); l++) {
            String hp = "model.layers." + l + ".", p = "blk." + l + ".";
            n.put(p + "attn_norm.weight", vector(files, hp + "input_layernorm.weight"));
            n.put(p + "ffn_norm.weight", vector(files, hp + "post_attention_layernorm.weight"));
            m.put(p + "attn_q.weight", interleaveHeads(matrix(files, hp + "self_attn.q_proj.weight"), c.headSize(), arena));
            m.put(p + "attn_k.weight", interleaveHeads(matrix(files, hp + "self_attn.k_proj.weight"), c.headSize(), arena));
            m.put(p + "attn_v.weight", matrix(files, hp + "self_attn.v_proj.weight"));
            m.put(p + "attn_output.weight", matrix(files, hp + "self_attn.o_proj.weight"));
            m.put(p + "ffn_gate.weight", matrix(files, hp + "mlp.gate_proj.weight"));
            m.put(p + "ffn_up.weight", matrix(files, hp + "mlp.up_proj.weight"));
            m.put(p + "ffn_down.weight", matrix(files, hp + "mlp.down_proj.weight"));
        }
        return new LlamaModel(c, m, n);
    }

    private static SafetensorsFile holder(List<SafetensorsFile> files, String name) {
        for (SafetensorsFile f : files) if (f.hasTensor(name)) return f;
        throw new IllegalArgumentException("safetensors: no tensor " + name + " in " + files.stream().map(SafetensorsFile::path).toList());
    }

    private static WeightMatrix matrix(List<SafetensorsFile> files, String name) { return holder(files, name).matrix(name); }

    private static float[] vector(List<SafetensorsFile> files, String name) { return holder(files, name).toFloat(name); }

    /** Rows reordered within each head from the half-split to the interleaved RoPE convention. */
    static WeightMatrix interleaveHeads(WeightMatrix w, int headSize, Arena arena) {
        if (w.rows() % headSize != 0) throw new IllegalArgumentException("a q/k projection of " + w.rows() + " rows is not whole heads of " + headSize);
        long rb = w.rowBytes();
        MemorySegment out = arena.allocate(rb * w.rows(), 64);
        int half = headSize / 2;
        for (int h = 0; h < w.rows() / headSize; h++)
            for (int i = 0; i < half; i++)
                for (int j = 0; j < 2; j++)
                    MemorySegment.copy(w.data(), (long) (h * headSize + j * half + i) * rb, out, (long) (h * headSize + 2 * i + j) * rb, rb);
        return new WeightMatrix(w.type(), w.rows(), w.cols(), out);
    }
}
