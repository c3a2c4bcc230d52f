package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * BERT WordPiece: basic tokenization ({@link BertPreTokenizer}), then each word is cut greedily into
 * the longest vocabulary entries from the left:
 *
 * <pre>
 *   "unaffable" → "un" "##aff" "##able"        (BERT's own vocab.txt: continuations marked "##")
 *               → "▁un" "aff" "able"           (GGUF: llama.cpp's converter marks word starts "▁")
 *   a word with a part that matches nothing → [UNK] for the whole word
 * </pre>
 *
 * <p>Words longer than 100 characters are [UNK] as a whole (BERT's limit). Encoding with specials
 * wraps the ids in CLS … SEP (the vocabulary's bos/eos).
 */
public final class WordPiece extends FragmentTokenizer {
    static final int MAX_WORD_CHARS = 100;

    /** How the vocabulary tells a word's first piece from the pieces that continue it. */
    public enum Marking {
        /** continuations carry "##" (BERT's vocab.txt, Hugging Face tokenizer.json) */
        CONTINUATION_HASHES("", "##"),
        /** word starts carry "▁" (GGUF files written by llama.cpp's converter) */
        WORD_START_SPACE("▁", "");

        final String start;
        final String continuation;

        Marking(String start, String continuation) {
            this.start = start;
            this.continuation = continuation;
        }

        /** The marking a vocabulary uses, judged by which prefix more of its tokens carry. */
        public static Marking of(Vocabulary v) {
            int hashes = 0;
            int spaces = 0;
            for (int id = 0; id < v.size(); id++) {
                String t = v.token(id);
                if (t.startsWith("##") && t.length() > 2) hashes++;
                if (t.startsWith("▁") && t.length() > 1) spaces++;
            }
            return spaces > hashes ? WORD_START_SPACE : CONTINUATION_HASHES;
        }
    }

    private final BertPreTokenizer preTokenizer;
    private final Marking marking;

    /**
     * @param lowercase    lowercase the text (an uncased vocabulary)
     * @param stripAccents drop accents after NFD (BERT does so whenever it lowercases)
     */
    public WordPiece(Vocabulary vocab, Marking marking, boolean lowercase, boolean stripAccents) {
        super(vocab);
        if (vocab.special().unk() < 0) throw new IllegalArgumentException("a WordPiece vocabulary needs an unknown token ([UNK])");
        this.marking = marking;
        this.preTokenizer = new BertPreTokenizer(lowercase, stripAccents);
    }

    @Override
    void encodeText(String text, boolean atStart, IntList out) {
        for (String word : preTokenizer.split(text)) encodeWord(word, out);
    }

    private void encodeWord(String word, IntList out) {
        int unk = vocab.special().unk();
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unk);
            return;
        }
        IntList pieces = new IntList();
        int start = 0;
        while (start < word.length()) {
            int found = -1;
            int end = word.length();
            String prefix = start == 0 ? marking.start : marking.continuation;
            while (end > start) {
                int id = vocab.index().find(word, start, start, prefix, start, end);
                if (id >= 0) {
                    found = id;
                    break;
                }
                end = Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 >= start ? end - 2 : end - 1;
            }
            if (found < 0) {
                out.add(unk);
                return;
            }
            pieces.add(found);
            start = end;
        }
        for (int i = 0; i < pieces.size(); i++) out.add(pieces.get(i));
    }

    /** Word starts are separated by one space, continuations are glued on; the text is not re-cased. */
    @Override
    void appendBytes(int id, boolean first, ByteArrayOutputStream out) {
        String t = vocab.token(id);
        boolean continues = marking == Marking.CONTINUATION_HASHES ? t.startsWith("##") : !t.startsWith("▁");
        String bare = marking == Marking.CONTINUATION_HASHES ? (continues ? t.substring(2) : t) : (continues ? t : t.substring(1));
        if (!continues && !first) out.write(' ');
        out.writeBytes(bare.getBytes(StandardCharsets.UTF_8));
    }
}
