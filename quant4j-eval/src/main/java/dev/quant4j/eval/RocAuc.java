package dev.quant4j.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * ROC AUC of binary scores as the Mann-Whitney statistic: the probability that a random positive
 * scores above a random negative, ties counting one half.
 *
 * <p>The samples are sorted by score once; each (resampled) evaluation is then one pass over tie
 * groups, O(n), instead of the O(n^2) pair count.
 */
public final class RocAuc implements SampleStatistic {
    private final int[] order;      // sample indices by ascending score
    private final int[] groupEnd;   // groupEnd[j]: end (exclusive, in order) of the tie group starting at j
    private final boolean[] positive;

    public RocAuc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("scores (" + scores.length + ") and labels (" + positive.length + ") differ in length");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException("score " + i + " is NaN");
        }
        this.positive = positive.clone();
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        order = new int[idx.length];
        for (int i = 0; i < idx.length; i++) order[i] = idx[i];
        groupEnd = new int[order.length];
        for (int j = 0; j < order.length; ) {
            int e = j + 1;
            while (e < order.length && scores[order[e]] == scores[order[j]]) e++;
            groupEnd[j] = e;
            j = e;
        }
    }

    /** AUC of the samples, each once. */
    public static double auc(double[] scores, boolean[] positive) {
        return new RocAuc(scores, positive).value();
    }

    @Override
    public int size() { return order.length; }

    @Override
    public double evaluate(int[] counts) {
        if (counts.length != order.length) {
            throw new IllegalArgumentException("counts has " + counts.length + " entries for " + order.length + " samples");
        }
        double negBelow = 0, pos = 0, num = 0;
        for (int j = 0; j < order.length; j = groupEnd[j]) {
            double gp = 0, gn = 0;
            for (int t = j; t < groupEnd[j]; t++) {
                int i = order[t];
                if (positive[i]) gp += counts[i]; else gn += counts[i];
            }
            num += gp * (negBelow + 0.5 * gn);
            negBelow += gn;
            pos += gp;
        }
        return pos == 0 || negBelow == 0 ? Double.NaN : num / (pos * negBelow);
    }
}
