package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes ids as they are generated. Bytes that end in the middle of a UTF-8 character are held
 * back until the token that completes it arrives:
 *
 * <pre>
 *   "🦙" = F0 9F A6 99 in GPT-2: tokens [F0 9F] [A6] [99] → push: "", "", "🦙"
 * </pre>
 *
 * Not thread-safe: one decoder per generated sequence.
 */
public final class StreamingDecoder {
    private final FragmentTokenizer tokenizer;
    private final ByteArrayOutputStream token = new ByteArrayOutputStream();
    private byte[] held = new byte[0];
    private boolean first = true;

    StreamingDecoder(FragmentTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token; returns the text it completes (empty while a character is still cut). */
    public String push(int id) {
        if (tokenizer.vocab.type(id) == TokenType.CONTROL) return "";
        token.reset();
        token.writeBytes(held);
        tokenizer.appendBytes(id, first, token);
        first = false;
        byte[] b = token.toByteArray();
        int complete = completeLength(b);
        held = Arrays.copyOfRange(b, complete, b.length);
        return new String(b, 0, complete, StandardCharsets.UTF_8);
    }

    /** The bytes still held (a character the last token left unfinished), as U+FFFD; then empty. */
    public String flush() {
        String s = new String(held, StandardCharsets.UTF_8);
        held = new byte[0];
        return s;
    }

    /**
     * The length of {@code b} without a trailing incomplete UTF-8 sequence. Malformed bytes are not
     * held (they will never complete): they go out and become U+FFFD.
     */
    static int completeLength(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // continuation byte: look further back for the lead byte
            int need = c >= 0xF0 && c <= 0xF7 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back && c >= 0xC0 && c <= 0xF7 ? n - back : n;
        }
        return n;
    }
}
