package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SentencePiece-style BPE as llama's vocabulary uses it.
 *
 * <pre>
 *   "Hello world"  → (space prefix) " Hello world" → (spaces → ▁) "▁Hello▁world"
 *   symbols: ▁ H e l l o ▁ w o r l d     (one per Unicode code point)
 *   join the adjacent pair whose joined string is a token with the highest score, repeat
 *   → "▁Hello" "▁world"; a symbol that is no token is written as its UTF-8 bytes &lt;0xNN&gt;
 * </pre>
 *
 * <p>The space prefix is added at the start of the text and after each special token, when the
 * vocabulary's {@code add_space_prefix} flag is set (the default for this model).
 */
public final class SentencePieceBpe extends FragmentTokenizer {
    private static final char SPACE = '▁';

    private final boolean addSpacePrefix;
    /** id of the token &lt;0xNN&gt; for each byte value, -1 if missing. */
    private final int[] byteIds = new int[256];
    /** the byte a BYTE token stands for, indexed by id; -1 for other tokens. */
    private final short[] byteOf;

    public SentencePieceBpe(Vocabulary vocab, boolean addSpacePrefix) {
        super(vocab);
        this.addSpacePrefix = addSpacePrefix;
        Arrays.fill(byteIds, -1);
        byteOf = new short[vocab.size()];
        Arrays.fill(byteOf, (short) -1);
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.type(id) != TokenType.BYTE) continue;
            int b = parseByteToken(vocab.token(id));
            if (b < 0) throw new IllegalArgumentException("byte token " + id + " is '" + vocab.token(id) + "', not <0xNN>");
            byteOf[id] = (short) b;
            if (byteIds[b] < 0) byteIds[b] = id;
        }
    }

    /** The value of a token spelled {@code <0xNN>}, or -1. */
    static int parseByteToken(String t) {
        if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
        int hi = Character.digit(t.charAt(3), 16);
        int lo = Character.digit(t.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    @Override
    void encodeText(String fragment, boolean atStart, IntList out) {
        String text = (addSpacePrefix && atStart ? " " + fragment : fragment).replace(' ', SPACE);
        TokenIndex index = vocab.index();
        IntList bounds = new IntList();
        IntList ids = new IntList();
        for (int i = 0, next; i < text.length(); i = next) {
            next = i + Character.charCount(text.codePointAt(i));
            bounds.add(i);
            ids.add(textToken(index.find(text, i, next)));
        }
        bounds.add(text.length());
        PairMerger.Result r = PairMerger.merge(text, bounds.toArray(), ids.toArray(), (left, right, start, mid, end) -> {
            int id = textToken(index.find(text, start, end));
            return id < 0 ? PairMerger.NO_JOIN : PairMerger.join(PairMerger.sortable(vocab.score(id)), id);
        });
        for (int k = 0; k < r.ids().length; k++) {
            if (r.ids()[k] >= 0) {
                out.add(r.ids()[k]);
            } else {
                byteFallback(text.substring(r.bounds()[k], r.bounds()[k + 1]), out);
            }
        }
    }

    /** {@code id} when it is a token that text may be tokenized into, else -1. */
    private int textToken(int id) {
        return id >= 0 && vocab.type(id).isText() ? id : -1;
    }

    /** A character that is no token: its UTF-8 bytes as byte tokens, else the unknown token. */
    private void byteFallback(String piece, IntList out) {
        int unk = vocab.special().unk();
        for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
            int id = byteIds[b & 0xFF];
            if (id >= 0) {
                out.add(id);
            } else if (unk >= 0) {
                out.add(unk);
                return;
            } else {
                throw new IllegalArgumentException("'" + piece + "' is not in the vocabulary, which has neither byte tokens nor an unknown token");
            }
        }
    }

    /** The first token loses the space that encoding put in front of the text. */
    @Override
    void appendBytes(int id, boolean first, ByteArrayOutputStream out) {
        if (byteOf[id] >= 0) {
            if (!(first && addSpacePrefix && byteOf[id] == ' ')) out.write(byteOf[id]);
            return;
        }
        String piece = vocab.token(id).replace(SPACE, ' ');
        if (first && addSpacePrefix && piece.startsWith(" ")) piece = piece.substring(1);
        out.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
    }
}
