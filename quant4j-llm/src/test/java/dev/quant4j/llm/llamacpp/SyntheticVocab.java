package dev.quant4j.llm.llamacpp;

import dev.quant4j.llm.gguf.GgufValue;
import dev.quant4j.llm.gguf.GgufValueType;
import dev.quant4j.llm.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SentencePiece-style vocabulary for models that come without one (stories260K's tok512 is not
 * in the test data), so that llama.cpp, which needs a tokenizer to take a prompt, can run them.
 * <pre>
 *   id 0 &lt;unk&gt;, 1 &lt;s&gt;, 2 &lt;/s&gt;, 3..258 byte tokens &lt;0x00&gt;..&lt;0xFF&gt;   (llama2.c's tok512 layout)
 *   id 259.. one CJK character each (U+4E00 + id − 259)
 * </pre>
 * Every ordinary token is one character and no two characters merge, so any sequence of ordinary
 * ids written as text tokenizes back to exactly those ids (no space prefix): prompts can be token
 * sequences the model itself wrote.
 */
public final class SyntheticVocab {
    public static final int FIRST_ORDINARY = 259;

    private SyntheticVocab() {}

    public static String piece(int id) { return new String(Character.toChars(0x4E00 + id - FIRST_ORDINARY)); }

    /** The text of ordinary token ids (each one character). */
    public static String text(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id < FIRST_ORDINARY) throw new IllegalArgumentException("token " + id + " has no one-character piece");
            sb.append(piece(id));
        }
        return sb.toString();
    }

    /** Writes a vocabulary-only GGUF of {@code size} tokens. */
    public static void write(Path file, int size) {
        List<String> tokens = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        add(tokens, types, "<unk>", 2);
        add(tokens, types, "<s>", 3);
        add(tokens, types, "</s>", 3);
        for (int b = 0; b < 256; b++) add(tokens, types, String.format("<0x%02X>", b), 6);
        while (tokens.size() < size) add(tokens, types, piece(tokens.size()), 1);
        for (int i = 0; i < size; i++) scores.add(i < FIRST_ORDINARY ? 0f : -(float) i);
        new GgufWriter()
                .put("general.architecture", GgufValue.string("llama"))
                .put("tokenizer.ggml.model", GgufValue.string("llama"))
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens))
                .put("tokenizer.ggml.scores", GgufValue.array(GgufValueType.FLOAT32, scores))
                .put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32, types))
                .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(1))
                .put("tokenizer.ggml.eos_token_id", GgufValue.uint32(2))
                .put("tokenizer.ggml.unknown_token_id", GgufValue.uint32(0))
                .put("tokenizer.ggml.add_bos_token", GgufValue.bool(true))
                .put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false))
                .write(file);
    }

    private static void add(List<String> tokens, List<Integer> types, String piece, int type) {
        tokens.add(piece);
        types.add(type);
    }
}
