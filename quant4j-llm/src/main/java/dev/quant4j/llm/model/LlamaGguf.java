package dev.quant4j.llm.model;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.gguf.GgufValue;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Llama model in GGUF as llama.cpp reads it: the {@code llama.*} hyper-parameter keys and the
 * tensor names of {@link LlamaModel}. A model without {@code output.weight} uses the token
 * embedding as classifier (llama.cpp does the same).
 */
public final class LlamaGguf {
    private LlamaGguf() {}

    /** The model in {@code f}; its matrices view the mapped file (valid until it is closed). */
    public static LlamaModel load(GgufFile f) {
        Map<String, Object> md = f.metadata();
        Object arch = md.get("general.architecture");
        if (!"llama".equals(arch)) throw new IllegalArgumentException(f.path() + ": general.architecture is " + arch + ", only llama is supported");
        int dim = intKey(f, "llama.embedding_length");
        int heads = intKey(f, "llama.attention.head_count");
        int kvHeads = md.containsKey("llama.attention.head_count_kv") ? intKey(f, "llama.attention.head_count_kv") : heads;
        long[] embd = f.tensor("token_embd.weight").dims();
        if (embd.length != 2 || embd[0] != dim)
            throw new IllegalArgumentException(f.path() + ": token_embd.weight has dims " + java.util.Arrays.toString(embd) + ", expected [" + dim + ", vocab]");
        float theta = md.containsKey("llama.rope.freq_base") ? floatKey(f, "llama.rope.freq_base") : 10000f;
        float eps = floatKey(f, "llama.attention.layer_norm_rms_epsilon");
        int ropeDims = md.containsKey("llama.rope.dimension_count") ? intKey(f, "llama.rope.dimension_count") : dim / heads;
        if (ropeDims != dim / heads)
            throw new IllegalArgumentException(f.path() + ": partial RoPE (" + ropeDims + " of " + dim / heads + " dimensions) is not supported");
        LlamaConfig c = new LlamaConfig(dim, intKey(f, "llama.feed_forward_length"), intKey(f, "llama.block_count"), heads, kvHeads,
                Math.toIntExact(embd[1]), intKey(f, "llama.context_length"), theta, eps);
        Map<String, WeightMatrix> m = new LinkedHashMap<>();
        Map<String, float[]> n = new LinkedHashMap<>();
        m.put("token_embd.weight", f.matrix("token_embd.weight"));
        m.put("output.weight", f.hasTensor("output.weight") ? f.matrix("output.weight") : m.get("token_embd.weight"));
        n.put("output_norm.weight", f.toFloat("output_norm.weight"));
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".";
            for (String k : new String[] {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"})
                m.put(p + k + ".weight", f.matrix(p + k + ".weight"));
            n.put(p + "attn_norm.weight", f.toFloat(p + "attn_norm.weight"));
            n.put(p + "ffn_norm.weight", f.toFloat(p + "ffn_norm.weight"));
        }
        return new LlamaModel(c, m, n);
    }

    private static int intKey(GgufFile f, String key) {
        Object v = f.metadata().get(key);
        if (!(v instanceof Number num)) throw new IllegalArgumentException(f.path() + ": missing or non-numeric metadata " + key);
        long l = num.longValue();
        if (l <= 0 || l > Integer.MAX_VALUE) throw new IllegalArgumentException(f.path() + ": metadata " + key + " = " + l + " is out of range");
        return (int) l;
    }

    private static float floatKey(GgufFile f, String key) {
        Object v = f.metadata().get(key);
        if (!(v instanceof Number num)) throw new IllegalArgumentException(f.path() + ": missing or non-numeric metadata " + key);
        return num.floatValue();
    }

    /** The {@code general.*} and {@code llama.*} keys llama.cpp needs to load {@code c}. */
    public static Map<String, GgufValue> metadata(LlamaConfig c, String name, int fileType) {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("general.architecture", GgufValue.string("llama"));
        md.put("general.name", GgufValue.string(name));
        md.put("general.file_type", GgufValue.uint32(fileType));
        md.put("general.quantization_version", GgufValue.uint32(2));
        md.put("llama.context_length", GgufValue.uint32(c.seqLen()));
        md.put("llama.embedding_length", GgufValue.uint32(c.dim()));
        md.put("llama.block_count", GgufValue.uint32(c.nLayers()));
        md.put("llama.feed_forward_length", GgufValue.uint32(c.hiddenDim()));
        md.put("llama.rope.dimension_count", GgufValue.uint32(c.headSize()));
        md.put("llama.attention.head_count", GgufValue.uint32(c.nHeads()));
        md.put("llama.attention.head_count_kv", GgufValue.uint32(c.nKvHeads()));
        md.put("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(c.normEps()));
        md.put("llama.rope.freq_base", GgufValue.float32(c.ropeTheta()));
        md.put("llama.vocab_size", GgufValue.uint32(c.vocabSize()));
        return md;
    }

    /**
     * llama.cpp's {@code general.file_type} (enum llama_ftype) for a model whose main type is
     * {@code t}: ALL_F32 0, MOSTLY_F16 1, Q4_0 2, Q4_1 3, Q8_0 7, Q5_0 8, Q5_1 9, Q4_K_M 15,
     * Q5_K_M 17, Q6_K 18, BF16 32.
     */
    public static int fileType(GgmlType t) {
        return switch (t) {
            case F32 -> 0; case F16 -> 1; case Q4_0 -> 2; case Q4_1 -> 3; case Q8_0 -> 7; case Q5_0 -> 8; case Q5_1 -> 9;
            case Q4_K -> 15; case Q5_K -> 17; case Q6_K -> 18; case BF16 -> 32;
            default -> throw new IllegalArgumentException("no llama file type for " + t);
        };
    }
}
