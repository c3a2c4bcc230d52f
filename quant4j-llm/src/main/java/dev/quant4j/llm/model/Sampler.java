package dev.quant4j.llm.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: greedy when temperature is 0, else softmax(logits / T)
 * restricted to the top-k tokens (k ≤ 0: no limit) and then to the smallest set whose
 * probability reaches top-p (p ≥ 1: no limit). Seeded, so a run is reproducible.
 */
public final class Sampler {
    private final float temperature;
    private final int topK;
    private final float topP;
    private final SplittableRandom random;

    public Sampler(float temperature, int topK, float topP, long seed) {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0)) throw new IllegalArgumentException("top-p must be > 0, got " + topP);
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    public static Sampler greedy() { return new Sampler(0f, 0, 1f, 0); }

    public int sample(float[] logits) {
        if (temperature == 0f) return argmax(logits);
        double[] p = probabilities(logits);
        double u = random.nextDouble();
        double cum = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            cum += p[i];
            last = i;
            if (u < cum) return i;
        }
        return last; // rounding left u just above the total
    }

    /** The distribution {@link #sample} draws from (zero outside top-k / top-p), normalised to 1. */
    public double[] probabilities(float[] logits) {
        int n = logits.length;
        double[] p = new double[n];
        if (temperature == 0f) {
            p[argmax(logits)] = 1;
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += p[i] = Math.exp((logits[i] - max) / temperature);
        for (int i = 0; i < n; i++) p[i] /= sum;
        if ((topK > 0 && topK < n) || topP < 1f) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            final double[] pp = p;
            Arrays.sort(order, (a, b) -> pp[b] != pp[a] ? Double.compare(pp[b], pp[a]) : Integer.compare(a, b));
            int keep = topK > 0 ? Math.min(topK, n) : n;
            double mass = 0;
            for (int r = 0; r < keep; r++) {
                mass += p[order[r]];
                if (mass >= topP) { keep = r + 1; break; }
            }
            double[] q = new double[n];
            double kept = 0;
            for (int r = 0; r < keep; r++) kept += q[order[r]] = p[order[r]];
            for (int r = 0; r < keep; r++) q[order[r]] /= kept;
            p = q;
        }
        return p;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
