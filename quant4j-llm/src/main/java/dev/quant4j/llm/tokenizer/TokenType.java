package dev.quant4j.llm.tokenizer;

/**
 * The kind of a vocabulary entry, with the numeric ids GGUF stores in {@code tokenizer.ggml.token_type}
 * (llama.cpp's {@code llama_token_type}).
 */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    private static final TokenType[] BY_ID = values();

    /** The type for a GGUF id; ids outside 0..6 are rejected so that a corrupt array is noticed. */
    public static TokenType fromId(int id) {
        if (id < 0 || id >= BY_ID.length) throw new IllegalArgumentException("unknown token type id " + id + " (GGUF knows 0..6)");
        return BY_ID[id];
    }

    /** Tokens that ordinary text may be tokenized into (merges and matches may produce them). */
    boolean isText() {
        return this == NORMAL || this == USER_DEFINED || this == UNDEFINED;
    }
}
