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

    /** @param threads sequences evaluated in parallel (each forward pass itself single-threaded: the models are small) */
    public Evaluator(LlamaModel reference, List<int[]> sequences, int threads) {
        this.sequences = List.copyOf(sequences);
        this.threads = threads;
        float[][][] lps = new float[this.sequences.size()][][];
        parallel(this.sequences.size(), s -> {
            int[] seq = this.sequences.get(s);
            if (seq.length < 2) throw new IllegalArgumentException("an evaluation sequence needs at least 2 tokens");
            Forward f = new Forward(reference, 1, false);
            float[][] lp = new float[seq.length - 1][];
            for (int i = 0; i + 1 < seq.length; i++) lp[i] = logSoftmax(f.forward(seq[i], i));
            lps[s] = lp;
        });
        for (int s = 0; s < lps.length; s++) {
            refLogProbs.add(lps[s]);
            int[] seq = this.sequences.get(s);
            for (int i = 0; i + 1 < seq.length; i++) {
                refNll -= lps[s][i][seq[i + 1]];
                tokens++;
            }
        }
    }

    private void parallel(int n, java.util.function.IntConsumer body) {
        Parallel.forEach(n, threads, body);
    }

    public long tokens() { return tokens; }

    /** The weight quantization alone: the candidate runs with fp32 activations. */
    public Metrics evaluate(LlamaModel candidate) { return evaluate(candidate, false); }

    /**
     * @param decodeActivations run the candidate as decoding does, with 8-bit activations for the
     *                          types that have them (Q4_0, Q4_K, Q8_0), so the figures include that rounding
     */
    public Metrics evaluate(LlamaModel candidate, boolean decodeActivations) {
        int n = sequences.size();
        double[] seqKl = new double[n], seqMax = new double[n], seqNll = new double[n];
        long[] seqAgree = new long[n];
        parallel(n, s -> {
            int[] seq = sequences.get(s);
            float[][] ref = refLogProbs.get(s);
            Forward f = new Forward(candidate, 1, decodeActivations);
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
                seqKl[s] += kl;
                seqMax[s] = Math.max(seqMax[s], kl);
                if (ap == aq) seqAgree[s]++;
                seqNll[s] -= q[seq[i + 1]];
            }
        });
        double klSum = 0, klMax = 0, nll = 0;
        long agree = 0;
        double[] perSeq = new double[n];
        for (int s = 0; s < n; s++) {
            klSum += seqKl[s];
            klMax = Math.max(klMax, seqMax[s]);
            nll += seqNll[s];
            agree += seqAgree[s];
            perSeq[s] = seqKl[s] / (sequences.get(s).length - 1);
        }
        double mean = klSum / tokens;
        double seqMean = 0, var = 0;
        for (double v : perSeq) seqMean += v / n;
        for (double v : perSeq) var += (v - seqMean) * (v - seqMean);
        double stdErr = n > 1 ? Math.sqrt(var / (n - 1) / n) : Double.NaN;
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
