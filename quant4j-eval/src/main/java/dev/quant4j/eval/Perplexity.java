package dev.quant4j.eval;

/**
 * Streaming perplexity: exp(sum of token NLLs / number of tokens), one sample per sequence so the
 * bootstrap resamples sequences, not the correlated tokens inside one.
 */
public final class Perplexity {
    private final SampleValues nll = new SampleValues();
    private final SampleValues tokens = new SampleValues();

    /** One sequence from its per-token negative log-likelihoods (nats). */
    public void add(double[] tokenNll) {
        double s = 0;
        for (double v : tokenNll) {
            if (!(v >= 0)) throw new IllegalArgumentException("token NLL must be >= 0, got " + v);
            s += v;
        }
        add(s, tokenNll.length);
    }

    /** One sequence from its summed NLL (nats) and token count. */
    public void add(double sumNll, int tokenCount) {
        if (!(sumNll >= 0) || tokenCount < 0) {
            throw new IllegalArgumentException("bad sequence: NLL sum " + sumNll + ", tokens " + tokenCount);
        }
        nll.add(sumNll);
        tokens.add(tokenCount);
    }

    /**
     * One sequence from row-major [positions][vocab] logits and the targets (the next token at
     * each position).
     */
    public void addLogits(float[] logits, int vocab, int[] targets) {
        if ((long) targets.length * vocab != logits.length) {
            throw new IllegalArgumentException("logits of " + logits.length + " values are not " + targets.length + " x " + vocab);
        }
        double s = 0;
        for (int t = 0; t < targets.length; t++) s += Distributions.nll(logits, t * vocab, vocab, targets[t]);
        add(s, targets.length);
    }

    public int size() { return tokens.size(); }

    /** Mean NLL per token (nats). */
    public SampleStatistic meanNll() {
        return SampleStatistic.ratio(nll.toArray(), tokens.toArray());
    }

    public SampleStatistic perplexity() {
        return meanNll().map(Math::exp);
    }
}
