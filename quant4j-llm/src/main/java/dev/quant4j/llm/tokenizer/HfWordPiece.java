package dev.quant4j.llm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer from a Hugging Face {@code tokenizer.json} (the file that ships with
 * ONNX exports of BERT-style encoders such as all-MiniLM-L6-v2): the vocabulary of its
 * {@code model.vocab}, "##" continuations, [CLS] … [SEP] around each text.
 */
public final class HfWordPiece {
    private HfWordPiece() {}

    /**
     * Reads {@code tokenizerJson}. Casing follows its BertNormalizer: {@code lowercase} (default true),
     * and {@code strip_accents}, which when null follows {@code lowercase} as in Hugging Face.
     */
    public static WordPiece read(Path tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
        JsonNode vocab = root.path("model").path("vocab");
        JsonNode norm = root.path("normalizer");
        boolean lowercase = norm.path("lowercase").asBoolean(true);
        JsonNode strip = norm.path("strip_accents");
        boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
        if (!vocab.isObject() || vocab.isEmpty())
            throw new IOException(tokenizerJson + ": no model.vocab object (not a WordPiece tokenizer.json)");
        String[] tokens = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= tokens.length || tokens[id] != null)
                throw new IOException(tokenizerJson + ": token '" + e.getKey() + "' has an invalid or repeated id " + e.getValue());
            tokens[id] = e.getKey();
        }
        int cls = id(tokenizerJson, tokens, "[CLS]"), sep = id(tokenizerJson, tokens, "[SEP]");
        SpecialTokens sp = new SpecialTokens(cls, sep, id(tokenizerJson, tokens, "[UNK]"), sep,
                id(tokenizerJson, tokens, "[PAD]"), cls, id(tokenizerJson, tokens, "[MASK]"), true, true);
        return new WordPiece(new Vocabulary(tokens, null, null, List.of(), sp), WordPiece.Marking.CONTINUATION_HASHES, lowercase, stripAccents);
    }

    private static int id(Path file, String[] tokens, String t) throws IOException {
        for (int i = 0; i < tokens.length; i++) if (t.equals(tokens[i])) return i;
        throw new IOException(file + ": special token " + t + " is not in the vocabulary");
    }
}
