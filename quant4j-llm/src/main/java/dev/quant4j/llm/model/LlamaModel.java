package dev.quant4j.llm.model;

import dev.quant4j.llm.llama2c.F32Tensor;
import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a Llama-family decoder under llama.cpp's tensor names: every linear layer (and
 * the token embedding) as a {@link WeightMatrix} in any GGML type, the RMSNorm weights as fp32.
 *
 * <pre>
 * token_embd.weight [vocab, dim]      output_norm.weight [dim]      output.weight [vocab, dim]
 * blk.N.attn_norm.weight [dim]        blk.N.ffn_norm.weight [dim]
 * blk.N.attn_q [dim, dim]  attn_k / attn_v [kv_dim, dim]  attn_output [dim, dim]
 * blk.N.ffn_gate / ffn_up [hidden, dim]  ffn_down [dim, hidden]          (rows = outputs)
 * </pre>
 */
public final class LlamaModel {
    private final LlamaConfig config;
    private final Map<String, WeightMatrix> matrices;
    private final Map<String, float[]> norms;

    public LlamaModel(LlamaConfig config, Map<String, WeightMatrix> matrices, Map<String, float[]> norms) {
        this.config = config;
        this.matrices = Collections.unmodifiableMap(new LinkedHashMap<>(matrices));
        this.norms = Collections.unmodifiableMap(new LinkedHashMap<>(norms));
        check();
    }

    /** The checkpoint's fp32 weights, used in place (the matrices view the mapped file). */
    public static LlamaModel fromLlama2c(Llama2cCheckpoint ck) {
        Map<String, WeightMatrix> m = new LinkedHashMap<>();
        Map<String, float[]> n = new LinkedHashMap<>();
        for (F32Tensor t : ck.tensors().values()) {
            if (t.name().endsWith("_norm.weight")) n.put(t.name(), t.toArray());
            else m.put(t.name(), new WeightMatrix(GgmlType.F32, t.rows(), t.cols(), t.data()));
        }
        if (ck.sharedClassifier()) m.put("output.weight", m.get("token_embd.weight")); // one matrix, as in the file
        return new LlamaModel(ck.config(), m, n);
    }

    private void check() {
        LlamaConfig c = config;
        expect("token_embd.weight", c.vocabSize(), c.dim());
        expect("output.weight", c.vocabSize(), c.dim());
        expectNorm("output_norm.weight");
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".";
            expectNorm(p + "attn_norm.weight");
            expectNorm(p + "ffn_norm.weight");
            expect(p + "attn_q.weight", c.dim(), c.dim());
            expect(p + "attn_k.weight", c.kvDim(), c.dim());
            expect(p + "attn_v.weight", c.kvDim(), c.dim());
            expect(p + "attn_output.weight", c.dim(), c.dim());
            expect(p + "ffn_gate.weight", c.hiddenDim(), c.dim());
            expect(p + "ffn_up.weight", c.hiddenDim(), c.dim());
            expect(p + "ffn_down.weight", c.dim(), c.hiddenDim());
        }
    }

    private void expect(String name, int rows, int cols) {
        WeightMatrix w = matrices.get(name);
        if (w == null) throw new IllegalArgumentException("Llama model: missing tensor " + name);
        if (w.rows() != rows || w.cols() != cols)
            throw new IllegalArgumentException("Llama model: " + name + " is " + w.rows() + "×" + w.cols() + ", expected " + rows + "×" + cols);
    }

    private void expectNorm(String name) {
        float[] w = norms.get(name);
        if (w == null) throw new IllegalArgumentException("Llama model: missing tensor " + name);
        if (w.length != config.dim()) throw new IllegalArgumentException("Llama model: " + name + " has " + w.length + " values, expected " + config.dim());
    }

    public LlamaConfig config() { return config; }

    /** True when the classifier is the token embedding matrix itself (weight tying). */
    public boolean tiedClassifier() { return matrices.get("output.weight") == matrices.get("token_embd.weight"); }

    /** Every matrix by name, in model order. */
    public Map<String, WeightMatrix> matrices() { return matrices; }

    /** Every RMSNorm weight by name. */
    public Map<String, float[]> norms() { return norms; }

    public WeightMatrix matrix(String name) {
        WeightMatrix w = matrices.get(name);
        if (w == null) throw new IllegalArgumentException("Llama model: no matrix " + name);
        return w;
    }

    public float[] norm(String name) {
        float[] w = norms.get(name);
        if (w == null) throw new IllegalArgumentException("Llama model: no norm " + name);
        return w;
    }

    /**
     * A model with some matrices and norms replaced (the others shared with this one). Replacing
     * token_embd.weight of a tied model replaces the classifier too, unless output.weight is given.
     */
    public LlamaModel with(Map<String, WeightMatrix> newMatrices, Map<String, float[]> newNorms) {
        Map<String, WeightMatrix> m = new LinkedHashMap<>(matrices);
        newMatrices.forEach((k, v) -> { if (m.put(k, v) == null) throw new IllegalArgumentException("no matrix " + k + " to replace"); });
        if (tiedClassifier() && newMatrices.containsKey("token_embd.weight") && !newMatrices.containsKey("output.weight"))
            m.put("output.weight", newMatrices.get("token_embd.weight"));
        Map<String, float[]> n = new LinkedHashMap<>(norms);
        newNorms.forEach((k, v) -> { if (n.put(k, v) == null) throw new IllegalArgumentException("no norm " + k + " to replace"); });
        return new LlamaModel(config, m, n);
    }

    /** Bytes of all matrices (the classifier counted once when it is the embedding itself). */
    public long weightBytes() {
        return matrices.values().stream().distinct().mapToLong(WeightMatrix::byteSize).sum();
    }

    /** Every weight as plain float arrays (matrices decoded), for the float64 reference. */
    public Map<String, float[]> toArrays() {
        Map<String, float[]> a = new LinkedHashMap<>();
        matrices.forEach((k, v) -> a.put(k, v.toFloat()));
        a.putAll(norms);
        return a;
    }
}
