package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributionsTest {

    /** Independent reference: softmax by direct exponentiation, then sum p ln(p / q). */
    private static double naiveKl(float[] a, float[] b) {
        double za = 0, zb = 0;
        for (int i = 0; i < a.length; i++) { za += Math.exp(a[i]); zb += Math.exp(b[i]); }
        double kl = 0;
        for (int i = 0; i < a.length; i++) {
            double p = Math.exp(a[i]) / za, q = Math.exp(b[i]) / zb;
            kl += p * Math.log(p / q);
        }
        return kl;
    }

    private static float[] randomLogits(SplittableRandom rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * scale);
        return v;
    }

    @Test
    void klMatchesNaiveReference() {
        SplittableRandom rng = new SplittableRandom(10);
        for (int t = 0; t < 200; t++) {
            float[] a = randomLogits(rng, 1 + rng.nextInt(50), 3), b = randomLogits(rng, a.length, 3);
            double ref = naiveKl(a, b);
            assertEquals(ref, Distributions.klFromLogits(a, b), 1e-12 + 1e-10 * ref);
        }
    }

    @Test
    void klByHand() {
        // P = (1/2, 1/2), Q = (1/4, 3/4): KL = 0.5 ln 2 + 0.5 ln(2/3)
        double expected = 0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3);
        assertEquals(expected, Distributions.kl(Distributions.logProbabilities(new float[] {0.5f, 0.5f}, 0, 2),
                Distributions.logProbabilities(new float[] {0.25f, 0.75f}, 0, 2)), 1e-15);
        // the same distributions as logits: Q logits (0, ln 3)
        assertEquals(expected, Distributions.klFromLogits(new float[] {7f, 7f}, new float[] {0f, (float) Math.log(3)}), 1e-7);
        // zero-probability classes of P contribute nothing; of Q alone, infinity
        assertEquals(Math.log(2), Distributions.kl(Distributions.logProbabilities(new float[] {1, 0}, 0, 2),
                Distributions.logProbabilities(new float[] {1, 1}, 0, 2)), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, Distributions.kl(Distributions.logProbabilities(new float[] {1, 1}, 0, 2),
                Distributions.logProbabilities(new float[] {1, 0}, 0, 2)));
        assertThrows(IllegalArgumentException.class, () -> Distributions.logProbabilities(new float[] {-0.1f, 1.1f}, 0, 2));
    }

    /** Logits of 1000 overflow a naive exp; shifted by the maximum they give exact values. */
    @Test
    void logSoftmaxIsStableForLargeLogits() {
        float a = 1000f, b = 1000f + (float) Math.log(3);   // b - a is exact in double, not ln 3
        double d = (double) b - a;
        double[] ls = Distributions.logSoftmax(new float[] {a, b});
        assertEquals(-Math.log1p(Math.exp(d)), ls[0], 1e-12);
        assertEquals(-Math.log1p(Math.exp(-d)), ls[1], 1e-12);
        double kl = Distributions.klFromLogits(new float[] {1000f, 1000f}, new float[] {-1000f, -1000f + (float) Math.log(3)});
        assertEquals(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), kl, 1e-4);   // float spacing at 1000 is 6e-5
        assertEquals(0.0, Distributions.klFromLogits(new float[] {3, 1, 2}, new float[] {3, 1, 2}));
    }

    @Test
    void perplexityOfUniformModelIsVocabularySize() {
        Perplexity ppl = new Perplexity();
        int vocab = 50;
        ppl.addLogits(new float[3 * vocab], vocab, new int[] {1, 7, 49});
        ppl.addLogits(new float[2 * vocab], vocab, new int[] {0, 3});
        assertEquals(vocab, ppl.perplexity().value(), 1e-9);
        assertEquals(Math.log(vocab), ppl.meanNll().value(), 1e-12);
    }

    @Test
    void perplexityPoolsTokensAcrossSequences() {
        Perplexity ppl = new Perplexity();
        ppl.add(new double[] {1, 2, 3});  // sum 6, 3 tokens
        ppl.add(4, 1);
        assertEquals(Math.exp(10.0 / 4), ppl.perplexity().value(), 1e-12);
        // the NLL of a token from logits against log-softmax
        float[] logits = {0.5f, -1f, 2f};
        assertEquals(-Distributions.logSoftmax(logits)[1], Distributions.nll(logits, 0, 3, 1), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> ppl.add(new double[] {-1}));
    }

    @Test
    void distributionAgreementOverRows() {
        DistributionAgreement agreement = DistributionAgreement.ofLogits();
        SplittableRandom rng = new SplittableRandom(2);
        double klSum = 0, agree = 0;
        int rows = 0;
        for (int s = 0; s < 40; s++) {
            int n = 1 + rng.nextInt(4), classes = 6;
            float[] ref = randomLogits(rng, n * classes, 2), cand = ref.clone();
            for (int i = 0; i < cand.length; i++) cand[i] += (float) (rng.nextGaussian() * 0.5);
            agreement.add(ref, cand, classes);
            for (int r = 0; r < n; r++) {
                float[] a = java.util.Arrays.copyOfRange(ref, r * classes, (r + 1) * classes);
                float[] b = java.util.Arrays.copyOfRange(cand, r * classes, (r + 1) * classes);
                klSum += naiveKl(a, b);
                if (argmax(a) == argmax(b)) agree++;
                rows++;
            }
        }
        assertEquals(klSum / rows, agreement.kl().value(), 1e-12);
        assertEquals(agree / rows, agreement.top1Agreement().value(), 1e-15);
        MetricResult r = Bootstrap.of(1).percentile(agreement.kl());
        assertTrue(r.ciLow() > 0 && r.ciLow() < r.value() && r.value() < r.ciHigh(), r.toString());

        DistributionAgreement probs = DistributionAgreement.ofProbabilities();
        probs.add(new float[] {0.5f, 0.5f}, new float[] {0.25f, 0.75f});
        assertEquals(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), probs.kl().value(), 1e-15);
        assertEquals(0.0, probs.top1Agreement().value());   // P's tie goes to class 0, Q's maximum is class 1
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
