package dev.quant4j.eval;

/**
 * Streaming comparison of a candidate model's output distributions with a reference model's on
 * the same inputs: mean KL(reference || candidate) and top-1 agreement.
 *
 * <p>A sample may hold several distributions (e.g. all token positions of one sequence); the
 * metrics are then ratios of sums, and the bootstrap resamples whole samples, which respects the
 * correlation between positions of one sequence.
 */
public final class DistributionAgreement {
    private final boolean logits;
    private final SampleValues klSum = new SampleValues();
    private final SampleValues agreeSum = new SampleValues();
    private final SampleValues rows = new SampleValues();

    private DistributionAgreement(boolean logits) {
        this.logits = logits;
    }

    /** Outputs are logits (softmax is applied in double). */
    public static DistributionAgreement ofLogits() {
        return new DistributionAgreement(true);
    }

    /** Outputs are probabilities (normalised in double). */
    public static DistributionAgreement ofProbabilities() {
        return new DistributionAgreement(false);
    }

    /** One sample with a single distribution. */
    public void add(float[] reference, float[] candidate) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("reference has " + reference.length + " classes, candidate " + candidate.length);
        }
        add(reference, candidate, reference.length);
    }

    /** One sample holding row-major [rows][classes] distributions of both models. */
    public void add(float[] reference, float[] candidate, int classes) {
        if (classes < 1 || reference.length != candidate.length || reference.length % classes != 0) {
            throw new IllegalArgumentException("outputs of " + reference.length + " and " + candidate.length
                    + " values are not whole rows of " + classes + " classes");
        }
        int n = reference.length / classes;
        double kl = 0, agree = 0;
        double[] lp = new double[classes], lq = new double[classes];
        for (int r = 0; r < n; r++) {
            int off = r * classes;
            if (logits) {
                Distributions.logSoftmax(reference, off, classes, lp);
                Distributions.logSoftmax(candidate, off, classes, lq);
            } else {
                lp = Distributions.logProbabilities(reference, off, classes);
                lq = Distributions.logProbabilities(candidate, off, classes);
            }
            kl += Distributions.kl(lp, lq);
            if (Distributions.argmax(reference, off, classes) == Distributions.argmax(candidate, off, classes)) agree++;
        }
        klSum.add(kl);
        agreeSum.add(agree);
        rows.add(n);
    }

    public int size() { return rows.size(); }

    /** Mean KL(reference || candidate) per distribution, in nats. */
    public SampleStatistic kl() {
        return SampleStatistic.ratio(klSum.toArray(), rows.toArray());
    }

    /** Share of distributions whose arg-max agrees. */
    public SampleStatistic top1Agreement() {
        return SampleStatistic.ratio(agreeSum.toArray(), rows.toArray());
    }
}
