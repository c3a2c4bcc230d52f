package dev.quant4j.llm.tokenizer;

import java.io.ByteArrayOutputStream;

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

    /**
     * The bytes of the non-control tokens among {@code ids}, each from {@link #appendBytes} (the BPE
     * models, whose tokens stand for byte strings); ids outside the vocabulary are refused.
     */
    byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (vocab.type(id) != TokenType.CONTROL) appendBytes(id, bytes);
        }
        return bytes.toByteArray();
    }

    /** Writes the bytes that token {@code id} stands for; only models that decode by bytes implement it. */
    void appendBytes(int id, ByteArrayOutputStream out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not decode token by token");
    }
}
