package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Special tokens on the real vocabularies. The plain ids come from the published test vectors
 * ("Hello" → 15043 for llama, "Hello world" → 15496 995 for GPT-2, 7592 2088 for BERT); the special
 * ids from the files' own metadata.
 */
class SpecialTokensTest {

    @Test
    void llamaAddsBosAndSpacePrefixAfterSpecialTokens() {
        Tokenizer t = VocabFiles.tokenizer("llama-spm");
        assertArrayEquals(new int[] {1, 15043}, t.encode("Hello", true, false));
        // "<s>" written in the text is a control token only when asked for; the space prefix follows it
        assertArrayEquals(new int[] {1, 15043}, t.encode("<s>Hello", false, true));
        int[] plain = t.encode("<s>Hello", false, false);
        assertTrue(plain.length > 2 && plain[0] != 1, "without parseSpecial <s> is ordinary text");
        assertEquals("<s>Hello", t.decode(plain));
        assertEquals("Hello", t.decode(new int[] {1, 15043, 2}), "control tokens are not rendered");
    }

    @Test
    void gpt2RecognisesEndOfTextOnlyWhenAsked() {
        Tokenizer t = VocabFiles.tokenizer("gpt-2");
        assertArrayEquals(new int[] {15496, 995, 50256, 15496}, t.encode("Hello world<|endoftext|>Hello", false, true));
        int[] plain = t.encode("<|endoftext|>");
        assertTrue(plain.length > 1, "without parseSpecial it is text");
        assertEquals("<|endoftext|>", t.decode(plain));
        assertArrayEquals(new int[] {15496, 995}, t.encode("Hello world", true, false), "GPT-2 adds no BOS by default");
    }

    @Test
    void bertWrapsInClsAndSep() {
        Tokenizer t = VocabFiles.tokenizer("bert-bge");
        assertArrayEquals(new int[] {101, 7592, 2088, 102}, t.encode("Hello world", true, false));
        assertArrayEquals(new int[] {101, 7592, 102, 2088}, t.encode("[CLS]Hello[SEP] world", false, true));
        assertEquals("hello world", t.decode(new int[] {101, 7592, 2088, 102}));
    }
}
