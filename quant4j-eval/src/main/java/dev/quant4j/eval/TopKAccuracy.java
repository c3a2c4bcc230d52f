package dev.quant4j.eval;

import java.util.Arrays;

/**
 * Streaming top-k accuracy: one correct/incorrect flag per sample, never the scores.
 *
 * <p>Ties are broken the way a stable descending sort would: among equal scores the lower class
 * index ranks first. So a label is in the top k when fewer than k classes outrank it.
 */
public final class TopKAccuracy {
    private final int k;
    private boolean[] hits = new boolean[64];
    private int size;

    public TopKAccuracy(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        this.k = k;
    }

    public static TopKAccuracy top1() {
        return new TopKAccuracy(1);
    }

    public int k() { return k; }

    /** Records one sample: its class scores (logits or probabilities) and its true label. */
    public void add(float[] scores, int label) {
        addHit(inTopK(scores, label, k));
    }

    /** Records one sample from a row of a [samples][classes] row-major score buffer. */
    public void add(float[] scores, int offset, int classes, int label) {
        addHit(inTopK(scores, offset, classes, label, k));
    }

    public void addHit(boolean hit) {
        if (size == hits.length) hits = Arrays.copyOf(hits, size * 2);
        hits[size++] = hit;
    }

    public int size() { return size; }

    /** Per-sample correctness (a copy), e.g. for {@link McNemar}. */
    public boolean[] hits() {
        return Arrays.copyOf(hits, size);
    }

    public SampleStatistic statistic() {
        return SampleStatistic.mean(PairedComparison.indicator(hits()));
    }

    public MetricResult result(Bootstrap bootstrap) {
        return bootstrap.percentile(statistic());
    }

    /** Wilson score interval: use it when accuracy is at or near 0 or 1 (see {@link WilsonInterval}). */
    public MetricResult wilson(double confidence) {
        return WilsonInterval.of(hits(), confidence);
    }

    public static boolean inTopK(float[] scores, int label, int k) {
        return inTopK(scores, 0, scores.length, label, k);
    }

    public static boolean inTopK(float[] scores, int offset, int classes, int label, int k) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
        }
        float s = scores[offset + label];
        if (Float.isNaN(s)) return false;
        int outranking = 0;
        for (int c = 0; c < classes; c++) {
            float v = scores[offset + c];
            if (v > s || (v == s && c < label)) {
                if (++outranking >= k) return false;
            }
        }
        return true;
    }
}
