package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteUnicodeTest {

    @Test
    void isABijectionWithTheInverse() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteUnicode.toChar((byte) b);
            assertEquals(b, ByteUnicode.toByte(c));
            seen.add(c);
        }
        assertEquals(256, seen.size());
        assertEquals(-1, ByteUnicode.toByte(' '), "space is remapped, so ' ' stands for no byte");
        assertEquals(-1, ByteUnicode.toByte('\u0200'));
    }

    /**
     * GPT-2's vocabulary starts with the 256 byte characters in the map's order (printable bytes
     * first, then the remapped ones), so the real file checks every entry of the table.
     */
    @Test
    void matchesTheFirst256TokensOfTheGpt2Vocabulary() {
        Vocabulary v = VocabFiles.tokenizer("gpt-2").vocabulary();
        int id = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int b = 0; b < 256; b++) {
                char c = ByteUnicode.toChar((byte) b);
                boolean kept = c == b;
                if (kept == (pass == 0)) assertEquals(String.valueOf(c), v.token(id++), "byte " + b);
            }
        }
        assertEquals('Ġ', ByteUnicode.toChar((byte) ' '));
        assertEquals('Ċ', ByteUnicode.toChar((byte) '\n'));
    }
}
