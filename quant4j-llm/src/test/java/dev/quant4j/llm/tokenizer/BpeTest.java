package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge loop on hand-sized cases whose result follows from the BPE rules alone. */
class BpeTest {

    /** A rule that joins spans of {@code text} listed in {@code priorities} (joined id = priority). */
    private static int[] merge(String text, Map<String, Integer> priorities) {
        int[] bounds = new int[text.length() + 1];
        int[] ids = new int[text.length()];
        for (int i = 0; i <= text.length(); i++) bounds[i] = i;
        PairMerger.Result r = PairMerger.merge(text, bounds, ids, (l, rr, a, m, b) -> {
            Integer p = priorities.get(text.substring(a, b));
            return p == null ? PairMerger.NO_JOIN : PairMerger.join(p, p);
        });
        return r.bounds();
    }

    @Test
    void tiesGoToTheLeftmostPair() {
        assertArrayEquals(new int[] {0, 2, 3}, merge("aaa", Map.of("aa", 1)));
        assertArrayEquals(new int[] {0, 2, 4}, merge("aaaa", Map.of("aa", 1)));
    }

    @Test
    void higherPriorityJoinsFirstAndPairsAreRerankedAfterAJoin() {
        // "abc": bc (2) beats ab (1); then a+bc is allowed (3) → "abc"
        assertArrayEquals(new int[] {0, 3}, merge("abc", Map.of("ab", 1, "bc", 2, "abc", 3)));
        // without "abc", joining bc first blocks ab
        assertArrayEquals(new int[] {0, 1, 3}, merge("abc", Map.of("ab", 1, "bc", 2)));
    }

    @Test
    void scoresOrderLikeFloats() {
        float[] f = {Float.NEGATIVE_INFINITY, -31739f, -2.5f, -1f, -0f, 0f, 1e-30f, 3f, Float.POSITIVE_INFINITY};
        for (int i = 0; i + 1 < f.length; i++) {
            assertTrue(PairMerger.sortable(f[i]) < PairMerger.sortable(f[i + 1]), f[i] + " < " + f[i + 1]);
        }
    }

    @Test
    void sentencePieceUsesScoresAndFallsBackToBytes() {
        String[] tokens = {"<unk>", "<s>", "</s>", "<0x41>", "<0xC3>", "<0xA9>", "▁", "a", "b", "▁a", "ab", "▁ab"};
        TokenType[] types = new TokenType[tokens.length];
        for (int i = 0; i < tokens.length; i++) types[i] = i == 0 ? TokenType.UNKNOWN : i < 3 ? TokenType.CONTROL : i < 6 ? TokenType.BYTE : TokenType.NORMAL;
        float[] scores = {0, 0, 0, 0, 0, 0, -1, -2, -3, -4, -5, -6};
        Vocabulary v = new Vocabulary(tokens, scores, types, List.of(), new SpecialTokens(1, 2, 0, -1, -1, -1, -1, true, false));
        SentencePieceBpe spm = new SentencePieceBpe(v, true);
        // "▁ a b": "▁a" (-4) beats "ab" (-5); then "▁a"+"b" = "▁ab" → one token
        assertArrayEquals(new int[] {11}, spm.encode("ab"));
        // 'é' is no token: its UTF-8 bytes C3 A9; 'A' is byte 0x41
        assertArrayEquals(new int[] {1, 6, 4, 5, 3}, spm.encode("éA", true, false));
        assertEquals("éA", spm.decode(new int[] {1, 6, 4, 5, 3}));
        SentencePieceBpe noPrefix = new SentencePieceBpe(v, false);
        assertArrayEquals(new int[] {10}, noPrefix.encode("ab"));
    }

    @Test
    void byteLevelBpeUsesMergeRanks() {
        // tokens: the byte characters needed plus merge results
        String[] tokens = {"a", "b", "c", "Ġ", "ab", "bc", "Ġa", "Ġab"};
        List<String> merges = List.of("b c", "a b", "Ġ a", "Ġa b");
        Vocabulary v = new Vocabulary(tokens, null, null, merges, new SpecialTokens(-1, -1, -1, -1, -1, -1, -1, false, false));
        ByteLevelBpe bpe = new ByteLevelBpe(v, "gpt-2");
        // "abc": "b c" has rank 0, so bc joins before ab → a, bc
        assertArrayEquals(new int[] {0, 5}, bpe.encode("abc"));
        // " ab": Ġ a (rank 2) then Ġa b (rank 3) — "a b" (rank 1) never sees its pair? it does: a b ranks
        // before Ġ a, so "ab" forms first and "Ġ ab" has no merge → Ġ, ab
        assertArrayEquals(new int[] {3, 4}, bpe.encode(" ab"));
        assertEquals(" ab", bpe.decode(new int[] {3, 4}));
    }
}
