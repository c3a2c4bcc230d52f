package dev.quant4j.tune.task;

import dev.quant4j.data.Dataset;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.tune.EvalData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Sentences as inputs of a BERT-style encoder (all-MiniLM-L6-v2): one sentence per run,
 * [CLS] … [SEP] (at most 128 tokens), all-ones attention mask, zero token types; so mean pooling
 * over the hidden state needs no mask.
 */
public final class MiniLmInputs {
    public static final String OUTPUT = "last_hidden_state";
    public static final int MAX_TOKENS = 128;

    private MiniLmInputs() {}

    public static EvalData<String> sentences(List<String> sentences, WordPiece tokenizer) {
        List<String> copy = List.copyOf(sentences);
        Dataset<String> ds = new Dataset<>() {
            @Override public int size() { return copy.size(); }
            @Override public String get(int i) { return copy.get(i); }
            @Override public String name() { return copy.size() + " sentences"; }
        };
        return EvalData.of(ds, s -> feeds(tokenizer, s));
    }

    public static Map<String, Tensor> feeds(WordPiece tokenizer, String sentence) {
        int[] t = tokenizer.encode(sentence, true, false);
        if (t.length > MAX_TOKENS) t = Arrays.copyOf(t, MAX_TOKENS);
        long[] ids = new long[t.length], mask = new long[t.length];
        for (int i = 0; i < t.length; i++) { ids[i] = t[i]; mask[i] = 1; }
        return Map.of("input_ids", Tensor.ofLongs(ids, 1, t.length), "attention_mask", Tensor.ofLongs(mask, 1, t.length),
                "token_type_ids", Tensor.ofLongs(new long[t.length], 1, t.length));
    }

    /** Mean cosine of the sentence embeddings to the fp32 model's. */
    public static EmbeddingTask<String> task(EvalData<String> data) {
        return new EmbeddingTask<>("all-MiniLM-L6-v2 embedding cosine", data, OUTPUT);
    }
}
