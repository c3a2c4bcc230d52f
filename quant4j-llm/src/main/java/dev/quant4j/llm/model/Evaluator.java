package dev.quant4j.llm.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures how far a (quantized) model's next-token distributions are from a reference model's
 * on fixed token sequences. The reference log-probabilities are computed once and reused.
 *
 * <p>At every position i &lt; len − 1 of every sequence both models predict token i+1:
 * KL(P_ref ‖ P_cand) = Σ p log(p / q), top-1 agreement = [argmax p = argmax q], and each model's
 * perplexity = exp(mean −log p(actual next token)).
 */
public final class Evaluator {
    /**
     * @param klMean mean KL divergence per predicted token, in nats
     * @param klStdErr standard error of klMean from the spread of the per-sequence means
     * @param top1 fraction of positions where both models' most likely token agree
     * @param pplReference reference model's perplexity on the sequences
     * @param pplCandidate candidate model's perplexity
     * @param tokens number of predicted tokens
     */
    public record Metrics(double klMean, double klStdErr, double klMax, double top1, double pplReference, double pplCandidate, long tokens) {}

    private final List<int[]> sequences;
    private final List<float[][]> refLogProbs = new ArrayList<>();
    private final int threads;
    private double refNll;
    private long tokens;

    public Evaluator(LlamaModel reference, List<int[]> sequences, int threads) {
        this.sequences = List.copyOf(sequences);
        this.threads = threads;
        for (int[] seq : this.sequences) {
            if (seq.length < 2) throw new IllegalArgumentException("an evaluation sequence needs at least 2 tokens");
            Forward f = new Forward(reference, threads);
            float[][] lp = new float[seq.length - 1][];
            for (int i = 0; i + 1 < seq.length; i++) {
                lp[i] = logSoftmax(f.forward(seq[i], i));
                refNll -= lp[i][seq[i + 1]];
                tokens++;
            }
            refLogProbs.add(lp);
        }
    }

    public long tokens() { return tokens; }

    public Metrics evaluate(LlamaModel candidate) {
        double klSum = 0, klMax = 0, nll = 0;
        long agree = 0;
        double[] perSeq = new double[sequences.size()];
        for (int s = 0; s < sequences.size(); s++) {
            int[] seq = sequences.get(s);
            float[][] ref = refLogProbs.get(s);
            Forward f = new Forward(candidate, threads);
            double seqKl = 0;
            for (int i = 0; i + 1 < seq.length; i++) {
                float[] q = logSoftmax(f.forward(seq[i], i));
                float[] p = ref[i];
                double kl = 0;
                int ap = 0, aq = 0;
                for (int j = 0; j < p.length; j++) {
                    kl += Math.exp(p[j]) * ((double) p[j] - q[j]);
                    if (p[j] > p[ap]) ap = j;
                    if (q[j] > q[aq]) aq = j;
                }
                kl = Math.max(kl, 0); // rounding can give −1e-12 for identical distributions
                seqKl += kl;
                klMax = Math.max(klMax, kl);
                if (ap == aq) agree++;
                nll -= q[seq[i + 1]];
            }
            klSum += seqKl;
            perSeq[s] = seqKl / (seq.length - 1);
        }
        double mean = klSum / tokens;
        double var = 0;
        double seqMean = 0;
        for (double v : perSeq) seqMean += v / perSeq.length;
        for (double v : perSeq) var += (v - seqMean) * (v - seqMean);
        double stdErr = perSeq.length > 1 ? Math.sqrt(var / (perSeq.length - 1) / perSeq.length) : Double.NaN;
        return new Metrics(mean, stdErr, klMax, (double) agree / tokens, Math.exp(refNll / tokens), Math.exp(nll / tokens), tokens);
    }

    /** log softmax in double, stored as float. */
    static float[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        double lse = max + Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = (float) (logits[i] - lse);
        return out;
    }
}
