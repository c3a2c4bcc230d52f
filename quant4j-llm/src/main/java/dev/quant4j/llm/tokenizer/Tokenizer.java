package dev.quant4j.llm.tokenizer;

/**
 * Text ↔ token ids for one vocabulary. Tokenizers are immutable and safe to share between threads.
 *
 * <p>Build one from a GGUF file's {@code tokenizer.ggml.*} metadata with {@link GgufTokenizers}, or
 * directly from a {@link Vocabulary}.
 */
public interface Tokenizer {

    Vocabulary vocabulary();

    /**
     * Tokenizes {@code text} as plain text: no BOS/EOS (or CLS/SEP) added, and special token strings
     * such as {@code <s>} or {@code <|endoftext|>} are tokenized as ordinary text. This is what the
     * published test vectors hold.
     */
    default int[] encode(String text) {
        return encode(text, false, false);
    }

    /**
     * @param addSpecial   add BOS / EOS (CLS / SEP for WordPiece) as the vocabulary's flags say
     * @param parseSpecial recognise control and user-defined token strings inside {@code text} and
     *                     emit their ids; when false only user-defined tokens are recognised
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * The text that {@code ids} stand for. Control tokens (BOS, EOS, padding…) are left out; an id
     * outside the vocabulary is an {@link IllegalArgumentException}. Byte sequences that are not
     * valid UTF-8 (a character cut between tokens) come out as U+FFFD.
     */
    String decode(int[] ids);

    /**
     * A decoder that takes generated ids one at a time and returns the text each completes, so that
     * a character cut between two byte-level tokens is printed once whole, and only the text's first
     * token loses its space prefix. Pushing ids one by one gives the same text as {@link #decode}.
     */
    StreamingDecoder streamingDecoder();
}
