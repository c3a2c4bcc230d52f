package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordPieceTest {

    private static Vocabulary vocab(String... tokens) {
        return new Vocabulary(tokens, null, null, List.of(),
                new SpecialTokens(-1, -1, 0, -1, -1, -1, -1, false, false));
    }

    @Test
    void greedyLongestMatchFirstWithContinuationMarks() {
        // the example of the WordPiece description in BERT's tokenization docs
        WordPiece wp = new WordPiece(vocab("[UNK]", "un", "##aff", "##able", "una", "##ffa"), WordPiece.Marking.CONTINUATION_HASHES, true, true);
        // longest first: "una" wins over "un", then "##ffa", then "ble" has no entry → the whole word is [UNK]
        assertArrayEquals(new int[] {0}, wp.encode("unaffable"));
        WordPiece plain = new WordPiece(vocab("[UNK]", "un", "##aff", "##able"), WordPiece.Marking.CONTINUATION_HASHES, true, true);
        assertArrayEquals(new int[] {1, 2, 3}, plain.encode("UnAffable"));
        assertEquals("unaffable", plain.decode(new int[] {1, 2, 3}));
    }

    @Test
    void wordsLongerThan100CharactersAreUnknown() {
        WordPiece wp = new WordPiece(vocab("[UNK]", "a", "##a"), WordPiece.Marking.CONTINUATION_HASHES, true, true);
        assertEquals(100, wp.encode("a".repeat(100)).length);
        assertArrayEquals(new int[] {0}, wp.encode("a".repeat(101)));
    }

    /**
     * GGUF stores BERT's vocabulary with "▁" on word starts instead of "##" on continuations. The
     * same vocabulary rewritten in the "##" form must give the published ids on every test input,
     * so both markings are checked against the reference.
     */
    @Test
    void bothMarkingsGiveThePublishedIds() throws IOException {
        Vocabulary gguf = VocabFiles.tokenizer("bert-bge").vocabulary();
        assertEquals(WordPiece.Marking.WORD_START_SPACE, WordPiece.Marking.of(gguf));
        String[] hashes = new String[gguf.size()];
        for (int id = 0; id < hashes.length; id++) {
            String t = gguf.token(id);
            hashes[id] = t.startsWith("[") && t.endsWith("]") ? t : t.startsWith("▁") ? t.substring(1) : "##" + t;
        }
        TokenType[] types = new TokenType[hashes.length];
        for (int id = 0; id < types.length; id++) types[id] = gguf.type(id);
        Vocabulary hf = new Vocabulary(hashes, null, types, List.of(), gguf.special());
        assertEquals(WordPiece.Marking.CONTINUATION_HASHES, WordPiece.Marking.of(hf));
        WordPiece wp = new WordPiece(hf, WordPiece.Marking.CONTINUATION_HASHES, true, true);
        VocabTestVectors v = VocabTestVectors.read(VocabFiles.path("bert-bge"));
        for (int i = 0; i < v.inputs().size(); i++) {
            assertArrayEquals(v.expected().get(i), wp.encode(v.inputs().get(i)), "case " + i);
        }
    }

    @Test
    void basicTokenizationSplitsPunctuationAndCjkAndStripsAccents() {
        BertPreTokenizer bt = new BertPreTokenizer(true, true);
        assertEquals(List.of("hello", ",", "y", "'", "all", "!", "cafe", "我", "想", "a", "$", "1"),
                bt.split("Hello, y'all! Café\u200b我想 a$1"));
        BertPreTokenizer cased = new BertPreTokenizer(false, false);
        assertEquals(List.of("Café", "x"), cased.split("\tCafé\u0000\u00a0x\n"));
    }
}
