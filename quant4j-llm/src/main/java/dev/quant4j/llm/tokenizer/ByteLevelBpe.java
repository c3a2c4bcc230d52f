package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * GPT-2 byte-level BPE.
 *
 * <pre>
 *   "Hello world" → pre-tokenizer regex → "Hello", " world"
 *   each word's UTF-8 bytes → one printable character per byte (ByteUnicode): " world" → "Ġworld"
 *   symbols: Ġ w o r l d; join the adjacent pair with the lowest merge rank, repeat → "Ġworld"
 * </pre>
 *
 * <p>Merges are looked up by the token ids of the two symbols ({@link MergeTable}); a merge whose
 * parts or result are not tokens cannot apply and is left out.
 */
public final class ByteLevelBpe extends FragmentTokenizer {
    private final Gpt2PreTokenizer preTokenizer;
    private final MergeTable merges;
    /** token id of each byte's character, -1 if the vocabulary lacks it */
    private final int[] byteIds = new int[256];

    /**
     * @param preTokenizer the {@code tokenizer.ggml.pre} variant (see {@link #supportedPreTokenizers()})
     */
    public ByteLevelBpe(Vocabulary vocab, String preTokenizer) {
        super(vocab);
        this.preTokenizer = Gpt2PreTokenizer.forVariant(preTokenizer);
        this.merges = new MergeTable(vocab.merges(), vocab.index());
        for (int b = 0; b < 256; b++) byteIds[b] = vocab.id(String.valueOf(ByteUnicode.toChar((byte) b)));
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
            int[] ids = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                mapped[i] = ByteUnicode.toChar(bytes[i]);
                bounds[i + 1] = i + 1;
                ids[i] = byteIds[bytes[i] & 0xFF];
            }
            String s = new String(mapped);
            PairMerger.Result r = PairMerger.merge(s, bounds, ids, (left, right, start, mid, end) -> {
                long m = merges.get(left, right);
                return m < 0 ? PairMerger.NO_JOIN : PairMerger.join(-(int) (m >>> 32), (int) m);
            });
            for (int k = 0; k < r.ids().length; k++) {
                if (r.ids()[k] >= 0) {
                    out.add(r.ids()[k]);
                } else {
                    emitUnknown(s.charAt(r.bounds()[k]), out);
                }
            }
        }
    }

    /** A byte whose character is not in the vocabulary (an incomplete byte-level vocabulary). */
    private void emitUnknown(char c, IntList out) {
        int unk = vocab.special().unk();
        if (unk < 0) throw new IllegalArgumentException("byte character '" + c + "' has no token and the vocabulary has no unknown token");
        out.add(unk);
    }

    @Override
    void appendBytes(int id, boolean first, ByteArrayOutputStream out) {
        String t = vocab.token(id);
        if (vocab.type(id) == TokenType.USER_DEFINED) {
            out.writeBytes(t.getBytes(StandardCharsets.UTF_8)); // stored as plain text, not byte-mapped
            return;
        }
        for (int i = 0; i < t.length(); i++) {
            int b = ByteUnicode.toByte(t.charAt(i));
            if (b >= 0) {
                out.write(b);
            } else { // not one of the 256 byte characters: keep the character itself
                out.writeBytes(t.substring(i, i + 1).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
