package dev.quant4j.llm.tokenizer;

/**
 * The ids of the vocabulary's special tokens ({@code -1} when the vocabulary has none) and whether
 * encoding with specials adds BOS / EOS.
 *
 * <p>For WordPiece vocabularies {@code cls} and {@code sep} play the roles of BOS and EOS.
 */
public record SpecialTokens(int bos, int eos, int unk, int sep, int pad, int cls, int mask, boolean addBos, boolean addEos) {
    public static final int NONE = -1;

    /** Every id is either {@link #NONE} or a valid index into a vocabulary of {@code size} entries. */
    void check(int size) {
        int[] ids = {bos, eos, unk, sep, pad, cls, mask};
        String[] names = {"bos", "eos", "unknown", "separator", "padding", "cls", "mask"};
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != NONE && (ids[i] < 0 || ids[i] >= size)) {
                throw new IllegalArgumentException(names[i] + " token id " + ids[i] + " is outside the vocabulary (0.." + (size - 1) + ")");
            }
        }
        if (addBos && bos == NONE) throw new IllegalArgumentException("add_bos is set but the vocabulary has no bos token");
        if (addEos && eos == NONE) throw new IllegalArgumentException("add_eos is set but the vocabulary has no eos token");
    }
}
