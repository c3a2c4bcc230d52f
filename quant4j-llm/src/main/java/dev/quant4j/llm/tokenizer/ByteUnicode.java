package dev.quant4j.llm.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible map from the 256 byte values to printable characters, so that byte-level BPE
 * tokens can be stored as text:
 *
 * <pre>
 *   bytes '!'..'~', '¡'..'¬', '®'..'ÿ'  → the character with the same code (printable already)
 *   the other 68 bytes, in increasing order → U+0100, U+0101, …   (so ' ' 0x20 → 'Ġ' U+0120,
 *                                                                  '\n' 0x0A → 'Ċ' U+010A)
 * </pre>
 */
final class ByteUnicode {
    private static final char[] TO_CHAR = new char[256];
    private static final short[] TO_BYTE = new short[324];

    static {
        Arrays.fill(TO_BYTE, (short) -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            TO_CHAR[b] = c;
            TO_BYTE[c] = (short) b;
        }
    }

    private ByteUnicode() {}

    static char toChar(byte b) {
        return TO_CHAR[b & 0xFF];
    }

    /** The byte that {@code c} stands for, or -1 when {@code c} is not one of the 256 characters. */
    static int toByte(char c) {
        return c < TO_BYTE.length ? TO_BYTE[c] : -1;
    }
}
