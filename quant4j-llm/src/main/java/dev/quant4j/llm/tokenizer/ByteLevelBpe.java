package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2 byte-level BPE.
 *
 * <pre>
 *   "Hello world" → pre-tokenizer regex → "Hello", " world"
 *   each word's UTF-8 bytes → one printable character per byte (ByteUnicode): " world" → "Ġworld"
 *   symbols: Ġ w o r l d; join the adjacent pair with the lowest merge rank, repeat → "Ġworld"
 * </pre>
 *
 * <p>Merges are looked up by their stored text "left right", so building the table is one hash
 * insertion per merge.
 */
public final class ByteLevelBpe extends FragmentTokenizer {
    private final Gpt2PreTokenizer preTokenizer;
    private final Map<String, Integer> ranks;

    /**
     * @param preTokenizer the {@code tokenizer.ggml.pre} variant (see {@link #supportedPreTokenizers()})
     */
    public ByteLevelBpe(Vocabulary vocab, String preTokenizer) {
        super(vocab);
        this.preTokenizer = Gpt2PreTokenizer.forVariant(preTokenizer);
        List<String> merges = vocab.merges();
        this.ranks = HashMap.newHashMap(merges.size());
        for (int r = 0; r < merges.size(); r++) {
            String m = merges.get(r);
            int sp = m.indexOf(' ', 1);
            if (sp < 0 || sp == m.length() - 1 || m.indexOf(' ', sp + 1) >= 0) {
                throw new IllegalArgumentException("merge " + r + " is '" + m + "', not 'left right'");
            }
            ranks.putIfAbsent(m, r);
        }
    }

    public static List<String> supportedPreTokenizers() {
        return Gpt2PreTokenizer.supported();
    }

    @Override
    void encodeText(String text, boolean atStart, IntList out) {
        for (String word : preTokenizer.split(text)) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            char[] mapped = new char[bytes.length];
            int[] bounds = new int[bytes.length + 1];
            for (int i = 0; i < bytes.length; i++) {
                mapped[i] = ByteUnicode.toChar(bytes[i]);
                bounds[i + 1] = i + 1;
            }
            String s = new String(mapped);
            int[] merged = PairMerger.merge(s, bounds, this::joinPriority);
            for (int k = 0; k + 1 < merged.length; k++) emit(s.substring(merged[k], merged[k + 1]), out);
        }
    }

    private double joinPriority(String s, int start, int mid, int end) {
        Integer rank = ranks.get(s.substring(start, mid) + ' ' + s.substring(mid, end));
        return rank == null ? Double.NaN : -rank;
    }

    private void emit(String piece, IntList out) {
        int id = vocab.id(piece);
        if (id >= 0) {
            out.add(id);
            return;
        }
        // A merge produced a string the vocabulary lacks (an inconsistent file): fall back to bytes.
        for (int i = 0; i < piece.length(); i++) {
            int b = vocab.id(piece.substring(i, i + 1));
            if (b >= 0) {
                out.add(b);
            } else if (vocab.special().unk() >= 0) {
                out.add(vocab.special().unk());
            } else {
                throw new IllegalArgumentException("byte '" + piece.charAt(i) + "' has no token and the vocabulary has no unknown token");
            }
        }
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            TokenType type = vocab.type(id);
            if (type == TokenType.CONTROL) continue;
            String t = vocab.token(id);
            if (type == TokenType.USER_DEFINED) {
                bytes.writeBytes(t.getBytes(StandardCharsets.UTF_8)); // stored as plain text, not byte-mapped
                continue;
            }
            for (int i = 0; i < t.length(); i++) {
                int b = ByteUnicode.toByte(t.charAt(i));
                if (b >= 0) {
                    bytes.write(b);
                } else {
                    bytes.writeBytes(String.valueOf(t.charAt(i)).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
