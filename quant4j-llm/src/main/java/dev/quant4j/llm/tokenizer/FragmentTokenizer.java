package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The part every tokenizer shares: special tokens are cut out first, each plain fragment is
 * tokenized by the model's own rule, and BOS/EOS are added around the whole as the vocabulary says.
 */
abstract class FragmentTokenizer implements Tokenizer {
    final Vocabulary vocab;
    private final SpecialTokenSplitter splitter;

    FragmentTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.splitter = new SpecialTokenSplitter(vocab);
    }

    @Override
    public Vocabulary vocabulary() {
        return vocab;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        SpecialTokens sp = vocab.special();
        IntList out = new IntList();
        if (addSpecial && sp.addBos()) out.add(sp.bos());
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment f : splitter.split(text, parseSpecial)) {
            if (f.isSpecial()) {
                out.add(f.id());
                afterSpecial = true;
            } else {
                encodeText(f.text(), afterSpecial, out);
                afterSpecial = false;
            }
        }
        if (addSpecial && sp.addEos()) out.add(sp.eos());
        return out.toArray();
    }

    /**
     * Tokenizes one plain fragment.
     *
     * @param atStart the fragment begins the text or follows a special token (where SentencePiece
     *                models add their space prefix)
     */
    abstract void encodeText(String text, boolean atStart, IntList out);

    /** Concatenates {@link #appendBytes} of the non-control tokens; ids outside the vocabulary are refused. */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (int id : ids) {
            if (vocab.type(id) == TokenType.CONTROL) continue;
            appendBytes(id, first, bytes);
            first = false;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }

    /**
     * Writes the UTF-8 bytes that token {@code id} (not a control token) stands for in decoded text.
     *
     * @param first whether it is the first token of the text (SentencePiece drops the space prefix
     *              there, WordPiece puts no space before it)
     */
    abstract void appendBytes(int id, boolean first, ByteArrayOutputStream out);
}
