package dev.quant4j.eval;

/**
 * Streaming comparison of a candidate model's output tensors (or embeddings) with a reference's:
 * mean squared error per element, SQNR in dB, and mean cosine similarity per sample. Keeps four
 * numbers per sample; sums run in double.
 */
public final class TensorAgreement {
    private final SampleValues squaredError = new SampleValues();
    private final SampleValues signalEnergy = new SampleValues();
    private final SampleValues elements = new SampleValues();
    private final SampleValues cosine = new SampleValues();

    public void add(float[] reference, float[] candidate) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("reference has " + reference.length + " values, candidate " + candidate.length);
        }
        double err = 0, sig = 0, cand = 0, dot = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = reference[i], c = candidate[i], d = r - c;
            err += d * d;
            sig += r * r;
            cand += c * c;
            dot += r * c;
        }
        squaredError.add(err);
        signalEnergy.add(sig);
        elements.add(reference.length);
        cosine.add(cosine(dot, sig, cand));
    }

    public int size() { return elements.size(); }

    /** Sum of squared errors / number of elements, over all samples. */
    public SampleStatistic mse() {
        return SampleStatistic.ratio(squaredError.toArray(), elements.toArray());
    }

    /** 10 log10(sum reference^2 / sum (reference - candidate)^2), pooled over all samples. */
    public SampleStatistic sqnrDb() {
        return SampleStatistic.ratio(signalEnergy.toArray(), squaredError.toArray()).map(r -> 10 * Math.log10(r));
    }

    /** Mean over samples of the cosine similarity between reference and candidate. */
    public SampleStatistic cosineSimilarity() {
        return SampleStatistic.mean(cosine.toArray());
    }

    /** Cosine similarity of two vectors in double; 1 when both are zero, 0 when only one is. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " values");
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return cosine(dot, na, nb);
    }

    private static double cosine(double dot, double na, double nb) {
        if (na == 0 && nb == 0) return 1;
        if (na == 0 || nb == 0) return 0;
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }
}
