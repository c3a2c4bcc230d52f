package dev.quant4j.llm.tokenizer;

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
}
