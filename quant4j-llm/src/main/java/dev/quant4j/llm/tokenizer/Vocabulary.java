package dev.quant4j.llm.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Plain vocabulary data, as a tokenizer file stores it: one string per token id, optional scores
 * (SentencePiece log-probabilities, used as merge priorities), token types, BPE merges in rank
 * order, and the special token ids.
 *
 * <p>Building the string → id index is the only work done here; it is one pass over the tokens.
 * When two ids share one string (it happens in real vocabularies), the lower id wins, as it does
 * in the tokenizer libraries the test vectors come from.
 */
public final class Vocabulary {
    private final String[] tokens;
    private final float[] scores;
    private final TokenType[] types;
    private final List<String> merges;
    private final SpecialTokens special;
    private final TokenIndex index;

    /**
     * @param tokens  the token strings, indexed by id
     * @param scores  one score per token, or null when the vocabulary has none (all scores 0)
     * @param types   one type per token, or null (all {@link TokenType#NORMAL})
     * @param merges  BPE merges "left right" in rank order (empty when the model has none)
     * @param special special token ids and the add-BOS/EOS flags
     */
    public Vocabulary(String[] tokens, float[] scores, TokenType[] types, List<String> merges, SpecialTokens special) {
        if (tokens.length == 0) throw new IllegalArgumentException("the vocabulary has no tokens");
        if (scores != null && scores.length != tokens.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + tokens.length + " tokens");
        }
        if (types != null && types.length != tokens.length) {
            throw new IllegalArgumentException(types.length + " token types for " + tokens.length + " tokens");
        }
        special.check(tokens.length);
        this.tokens = tokens.clone();
        this.scores = scores == null ? new float[tokens.length] : scores.clone();
        if (types == null) {
            this.types = new TokenType[tokens.length];
            Arrays.fill(this.types, TokenType.NORMAL);
        } else {
            this.types = types.clone();
        }
        this.merges = List.copyOf(merges);
        this.special = special;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == null) throw new IllegalArgumentException("token " + i + " is null");
        }
        this.index = new TokenIndex(this.tokens);
    }

    public int size() {
        return tokens.length;
    }

    /** The token string of {@code id} exactly as the vocabulary stores it (e.g. "▁the", "Ġthe", "##ing"). */
    public String token(int id) {
        return tokens[checkId(id)];
    }

    public float score(int id) {
        return scores[checkId(id)];
    }

    public TokenType type(int id) {
        return types[checkId(id)];
    }

    /** The id of a token string, or -1. */
    public int id(String token) {
        return index.find(token, 0, token.length());
    }

    TokenIndex index() {
        return index;
    }

    public List<String> merges() {
        return merges;
    }

    public SpecialTokens special() {
        return special;
    }

    int checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (tokens.length - 1) + ")");
        }
        return id;
    }
}
