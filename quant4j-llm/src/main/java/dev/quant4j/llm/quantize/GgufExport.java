package dev.quant4j.llm.quantize;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.gguf.GgufValue;
import dev.quant4j.llm.gguf.GgufWriter;
import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.model.LlamaGguf;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Writes a {@link LlamaModel} as a GGUF file llama.cpp can load: {@code llama.*} hyper-parameters,
 * llama.cpp's tensor names (norms as 1-D F32, matrices with dims {cols, rows}), a tied classifier
 * written once as token_embd.weight, and the tokenizer ({@code tokenizer.*} keys) copied from a
 * source GGUF when there is one. Written to a temporary file and moved into place (by the writer).
 */
public final class GgufExport {
    private GgufExport() {}

    /**
     * @param mainType the type most matrices have (for {@code general.file_type})
     * @param tokenizerFrom a GGUF whose {@code tokenizer.*} keys are carried over, or null (then
     *        {@code tokenizer.ggml.model = "no_vocab"}: token ids only, as for llama2.c checkpoints)
     */
    public static void write(LlamaModel model, Path out, String name, GgmlType mainType, GgufFile tokenizerFrom) {
        LlamaConfig c = model.config();
        GgufWriter w = new GgufWriter();
        LlamaGguf.metadata(c, name, LlamaGguf.fileType(mainType)).forEach(w::put);
        if (tokenizerFrom != null && tokenizerFrom.metadata().containsKey("tokenizer.ggml.model"))
            w.copyMetadata(tokenizerFrom, k -> k.startsWith("tokenizer."));
        else w.put("tokenizer.ggml.model", GgufValue.string("no_vocab")); // llama.cpp's marker for a model without a vocabulary
        w.addTensor("token_embd.weight", model.matrix("token_embd.weight"));
        norm(w, model, "output_norm.weight");
        if (!model.tiedClassifier()) w.addTensor("output.weight", model.matrix("output.weight"));
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".";
            norm(w, model, p + "attn_norm.weight");
            for (String k : new String[] {"attn_q", "attn_k", "attn_v", "attn_output"}) w.addTensor(p + k + ".weight", model.matrix(p + k + ".weight"));
            norm(w, model, p + "ffn_norm.weight");
            for (String k : new String[] {"ffn_gate", "ffn_down", "ffn_up"}) w.addTensor(p + k + ".weight", model.matrix(p + k + ".weight"));
        }
        w.write(out);
    }

    private static void norm(GgufWriter w, LlamaModel m, String name) {
        float[] v = m.norm(name);
        MemorySegment seg = MemorySegment.ofArray(new byte[4 * v.length]);
        for (int i = 0; i < v.length; i++) seg.set(dev.quant4j.llm.quant.Le.F32, 4L * i, v[i]);
        w.addTensor(name, GgmlType.F32, new long[] {v.length}, seg);
    }
}
