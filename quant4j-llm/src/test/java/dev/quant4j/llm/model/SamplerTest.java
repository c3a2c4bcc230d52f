package dev.quant4j.llm.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SamplerTest {
    static final float[] LOGITS = {1.0f, 3.0f, -2.0f, 2.5f, 0.0f, 2.9f};

    static double[] softmax(float[] l, double t) {
        double[] p = new double[l.length];
        double s = 0;
        for (int i = 0; i < l.length; i++) s += p[i] = Math.exp(l[i] / t);
        for (int i = 0; i < l.length; i++) p[i] /= s;
        return p;
    }

    @Test
    void greedyTakesTheLargestLogit() {
        assertEquals(1, Sampler.greedy().sample(LOGITS));
        assertEquals(1, new Sampler(0f, 3, 0.5f, 9).sample(LOGITS));
    }

    @Test
    void temperatureSamplingFollowsTheSoftmax() {
        for (double t : new double[] {0.7, 1.0, 2.0}) {
            Sampler s = new Sampler((float) t, 0, 1f, 42);
            int n = 200_000;
            int[] counts = new int[LOGITS.length];
            for (int i = 0; i < n; i++) counts[s.sample(LOGITS)]++;
            double[] p = softmax(LOGITS, t);
            for (int i = 0; i < p.length; i++) {
                double sd = Math.sqrt(n * p[i] * (1 - p[i]));
                assertEquals(n * p[i], counts[i], 5 * sd + 1, "T=" + t + " token " + i);
            }
        }
    }

    @Test
    void topKAndTopPRestrictTheSupport() {
        double[] p = softmax(LOGITS, 1.0);
        // top-k = 2 keeps tokens 1 and 5, renormalised
        double[] k2 = new Sampler(1f, 2, 1f, 1).probabilities(LOGITS);
        assertEquals(p[1] / (p[1] + p[5]), k2[1], 1e-12);
        assertEquals(p[5] / (p[1] + p[5]), k2[5], 1e-12);
        assertEquals(0, k2[0] + k2[2] + k2[3] + k2[4]);
        // top-p: the smallest prefix (by probability) whose mass reaches p
        double two = p[1] + p[5];
        double[] tp = new Sampler(1f, 0, (float) (two - 1e-3), 1).probabilities(LOGITS);
        assertEquals(0, tp[3]);
        double[] tp3 = new Sampler(1f, 0, (float) (two + 1e-3), 1).probabilities(LOGITS);
        assertTrue(tp3[3] > 0 && tp3[0] == 0);
        Sampler s = new Sampler(1f, 2, 1f, 3);
        for (int i = 0; i < 2000; i++) {
            int t = s.sample(LOGITS);
            assertTrue(t == 1 || t == 5, "token " + t + " outside top-2");
        }
    }

    @Test
    void sameSeedSameDraws() {
        Sampler a = new Sampler(1f, 0, 0.9f, 123), b = new Sampler(1f, 0, 0.9f, 123), c = new Sampler(1f, 0, 0.9f, 124);
        boolean differs = false;
        for (int i = 0; i < 100; i++) {
            int x = a.sample(LOGITS);
            assertEquals(x, b.sample(LOGITS));
            differs |= x != c.sample(LOGITS);
        }
        assertTrue(differs);
    }
}
