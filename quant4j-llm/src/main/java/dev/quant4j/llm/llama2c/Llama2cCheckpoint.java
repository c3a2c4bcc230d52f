package dev.quant4j.llm.llama2c;

import dev.quant4j.llm.model.LlamaConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A llama2.c checkpoint (the original "version 0" format of karpathy/llama2.c), memory-mapped.
 *
 * <pre>
 * offset 0   int32 × 7, little-endian:
 *            dim | hidden_dim | n_layers | n_heads | n_kv_heads | vocab_size | seq_len
 *            (vocab_size &lt; 0: the classifier is a separate matrix, stored last)
 * offset 28  float32 tensors, each row-major [out, in], layers stacked:
 *            token_embedding [vocab, dim]
 *            rms_att [L, dim]   wq [L, dim, dim]   wk [L, kv_dim, dim]   wv [L, kv_dim, dim]
 *            wo [L, dim, dim]   rms_ffn [L, dim]   w1 [L, hidden, dim]   w2 [L, dim, hidden]
 *            w3 [L, hidden, dim]   rms_final [dim]
 *            freq_cis_real [seq, head/2]   freq_cis_imag [seq, head/2]   (unused: RoPE is recomputed)
 *            wcls [vocab, dim]               (only when vocab_size was negative)
 * </pre>
 *
 * Tensors are exposed under llama.cpp's GGUF names ({@code token_embd.weight},
 * {@code blk.N.attn_q.weight}, ...; w1 = ffn_gate, w2 = ffn_down, w3 = ffn_up), so the rest of
 * the LLM code sees one naming whatever the source format.
 */
public final class Llama2cCheckpoint implements AutoCloseable {
    private static final int HEADER_BYTES = 7 * Integer.BYTES;

    private final Path file;
    private final LlamaConfig config;
    private final boolean sharedClassifier;
    private final Map<String, F32Tensor> tensors;
    private final Arena arena;

    private Llama2cCheckpoint(Path file, LlamaConfig config, boolean sharedClassifier, Map<String, F32Tensor> tensors, Arena arena) {
        this.file = file;
        this.config = config;
        this.sharedClassifier = sharedClassifier;
        this.tensors = tensors;
        this.arena = arena;
    }

    /** Maps and validates a checkpoint; every size comes from the header and is checked against the file length first. */
    public static Llama2cCheckpoint open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            if (length < HEADER_BYTES)
                throw new Llama2cFormatException(file, "file is " + length + " bytes, shorter than the 28-byte header");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, length, arena);
            int[] h = new int[7];
            for (int i = 0; i < 7; i++) h[i] = all.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4L * i);
            int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocabSigned = h[5], seq = h[6];
            boolean shared = vocabSigned > 0;
            int vocab = Math.abs(vocabSigned);
            if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocabSigned == 0 || vocabSigned == Integer.MIN_VALUE || seq <= 0)
                throw new Llama2cFormatException(file, "header has a non-positive size: dim=" + dim + " hidden_dim=" + hidden
                        + " n_layers=" + layers + " n_heads=" + heads + " n_kv_heads=" + kvHeads + " vocab_size=" + vocabSigned + " seq_len=" + seq);
            if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0)
                throw new Llama2cFormatException(file, "header is inconsistent: dim=" + dim + " n_heads=" + heads + " n_kv_heads=" + kvHeads
                        + " (need dim % n_heads == 0, n_heads % n_kv_heads == 0, even head size)");
            LlamaConfig cfg = new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, seq, 10000f, 1e-5f);
            long expected = HEADER_BYTES + 4L * expectedFloats(cfg, shared);
            if (expected != length)
                throw new Llama2cFormatException(file, "file is " + length + " bytes but its header (dim=" + dim + " hidden_dim=" + hidden
                        + " n_layers=" + layers + " n_heads=" + heads + " n_kv_heads=" + kvHeads + " vocab_size=" + vocabSigned + " seq_len=" + seq
                        + ") implies " + expected + " bytes" + (expected > length ? " (truncated?)" : " (trailing data?)"));
            Map<String, F32Tensor> t = layout(cfg, shared, all);
            return new Llama2cCheckpoint(file, cfg, shared, t, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Number of floats after the header, in long arithmetic so that an absurd header cannot overflow. */
    static long expectedFloats(LlamaConfig c, boolean shared) {
        long dim = c.dim(), hid = c.hiddenDim(), L = c.nLayers(), kv = c.kvDim(), V = c.vocabSize(), S = c.seqLen(), hs = c.headSize();
        long perLayer = dim + dim * dim + 2 * kv * dim + dim * dim + dim + 3 * hid * dim;
        return V * dim + L * perLayer + dim + S * hs + (shared ? 0 : V * dim);
    }

    private static Map<String, F32Tensor> layout(LlamaConfig c, boolean shared, MemorySegment all) {
        int dim = c.dim(), hid = c.hiddenDim(), L = c.nLayers(), kv = c.kvDim(), V = c.vocabSize();
        Map<String, F32Tensor> m = new LinkedHashMap<>();
        long[] off = {HEADER_BYTES};
        F32Tensor embd = take(all, off, "token_embd.weight", V, dim);
        m.put(embd.name(), embd);
        // Stacked per-layer blocks: each kind holds all layers consecutively.
        stacked(m, all, off, L, "attn_norm", 1, dim);
        stacked(m, all, off, L, "attn_q", dim, dim);
        stacked(m, all, off, L, "attn_k", kv, dim);
        stacked(m, all, off, L, "attn_v", kv, dim);
        stacked(m, all, off, L, "attn_output", dim, dim);
        stacked(m, all, off, L, "ffn_norm", 1, dim);
        stacked(m, all, off, L, "ffn_gate", hid, dim);
        stacked(m, all, off, L, "ffn_down", dim, hid);
        stacked(m, all, off, L, "ffn_up", hid, dim);
        F32Tensor norm = take(all, off, "output_norm.weight", 1, dim);
        m.put(norm.name(), norm);
        // The stored RoPE tables are not used (the forward recomputes them) but kept for checking.
        F32Tensor cos = take(all, off, "freq_cis_real", c.seqLen(), c.headSize() / 2);
        F32Tensor sin = take(all, off, "freq_cis_imag", c.seqLen(), c.headSize() / 2);
        F32Tensor out = shared ? new F32Tensor("output.weight", V, dim, embd.data()) : take(all, off, "output.weight", V, dim);
        m.put(out.name(), out);
        m.put(cos.name(), cos);
        m.put(sin.name(), sin);
        return m;
    }

    private static void stacked(Map<String, F32Tensor> m, MemorySegment all, long[] off, int layers, String kind, int rows, int cols) {
        for (int l = 0; l < layers; l++) {
            F32Tensor t = take(all, off, "blk." + l + "." + kind + ".weight", rows, cols);
            m.put(t.name(), t);
        }
    }

    private static F32Tensor take(MemorySegment all, long[] off, String name, int rows, int cols) {
        long bytes = 4L * rows * cols;
        F32Tensor t = new F32Tensor(name, rows, cols, all.asSlice(off[0], bytes));
        off[0] += bytes;
        return t;
    }

    public Path file() { return file; }

    public LlamaConfig config() { return config; }

    /** True when the classifier {@code output.weight} is the token embedding itself (positive vocab_size). */
    public boolean sharedClassifier() { return sharedClassifier; }

    /** The model's tensors by llama.cpp name; a norm weight is a 1 × dim tensor. */
    public Map<String, F32Tensor> tensors() {
        Map<String, F32Tensor> m = new LinkedHashMap<>(tensors);
        m.remove("freq_cis_real");
        m.remove("freq_cis_imag");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The RoPE table llama2.c's exporter stored, cos (real) or sin (imag) of pos · freq_i: [seq_len, head_size / 2]. */
    public F32Tensor storedRope(boolean cosine) { return tensors.get(cosine ? "freq_cis_real" : "freq_cis_imag"); }

    /** Every tensor as a float array (copies), for code that wants plain arrays. */
    public Map<String, float[]> toArrays() {
        Map<String, float[]> m = new LinkedHashMap<>();
        tensors().forEach((k, v) -> m.put(k, v.toArray()));
        return m;
    }

    public F32Tensor tensor(String name) {
        F32Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(file + ": no tensor named " + name);
        return t;
    }

    @Override
    public void close() { arena.close(); }
}
