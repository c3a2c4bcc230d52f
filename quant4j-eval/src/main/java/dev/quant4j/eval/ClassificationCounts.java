package dev.quant4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-class and macro precision, recall and F1 from streamed (true label, predicted label) pairs.
 *
 * <p>A class with no predictions has precision 0, one with no true samples recall 0, and F1 is 0
 * when precision + recall is 0 (scikit-learn's zero_division=0). The macro average runs over the
 * classes that occur as a true or a predicted label in the (resampled) samples.
 */
public final class ClassificationCounts {
    /** One class's scores; support is its number of true samples. */
    public record ClassScores(int label, double precision, double recall, double f1, long support) {}

    private enum Kind { PRECISION, RECALL, F1 }

    private final int classes;
    private int[] truth = new int[64];
    private int[] predicted = new int[64];
    private int size;

    public ClassificationCounts(int classes) {
        if (classes < 1) throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        this.classes = classes;
    }

    public void add(int trueLabel, int predictedLabel) {
        if (trueLabel < 0 || trueLabel >= classes || predictedLabel < 0 || predictedLabel >= classes) {
            throw new IllegalArgumentException("labels (" + trueLabel + ", " + predictedLabel + ") outside [0, " + classes + ")");
        }
        if (size == truth.length) {
            truth = Arrays.copyOf(truth, size * 2);
            predicted = Arrays.copyOf(predicted, size * 2);
        }
        truth[size] = trueLabel;
        predicted[size++] = predictedLabel;
    }

    public int size() { return size; }

    /** Scores of every class that occurs as a true or predicted label. */
    public List<ClassScores> perClass() {
        int[] ones = new int[size];
        Arrays.fill(ones, 1);
        long[][] c = confusion(Arrays.copyOf(truth, size), Arrays.copyOf(predicted, size), ones);
        List<ClassScores> out = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            long tp = c[0][k], fp = c[1][k], fn = c[2][k];
            if (tp + fp + fn == 0) continue;
            double p = div(tp, tp + fp), r = div(tp, tp + fn);
            out.add(new ClassScores(k, p, r, f1(p, r), tp + fn));
        }
        return out;
    }

    public SampleStatistic macroPrecision() { return macro(Kind.PRECISION); }

    public SampleStatistic macroRecall() { return macro(Kind.RECALL); }

    public SampleStatistic macroF1() { return macro(Kind.F1); }

    private SampleStatistic macro(Kind kind) {
        int[] t = Arrays.copyOf(truth, size), p = Arrays.copyOf(predicted, size);
        ClassificationCounts self = this;
        return new SampleStatistic() {
            @Override public int size() { return t.length; }
            @Override public double evaluate(int[] counts) {
                long[][] c = self.confusion(t, p, counts);
                double sum = 0;
                int present = 0;
                for (int k = 0; k < classes; k++) {
                    long tp = c[0][k], fp = c[1][k], fn = c[2][k];
                    if (tp + fp + fn == 0) continue;
                    double pr = div(tp, tp + fp), re = div(tp, tp + fn);
                    sum += switch (kind) {
                        case PRECISION -> pr;
                        case RECALL -> re;
                        case F1 -> f1(pr, re);
                    };
                    present++;
                }
                return present == 0 ? Double.NaN : sum / present;
            }
        };
    }

    /** [tp, fp, fn][class], sample i weighted by counts[i]. */
    private long[][] confusion(int[] t, int[] p, int[] counts) {
        if (counts.length != t.length) {
            throw new IllegalArgumentException("counts has " + counts.length + " entries for " + t.length + " samples");
        }
        long[][] c = new long[3][classes];
        for (int i = 0; i < counts.length; i++) {
            int w = counts[i];
            if (w == 0) continue;
            if (t[i] == p[i]) {
                c[0][t[i]] += w;
            } else {
                c[1][p[i]] += w;
                c[2][t[i]] += w;
            }
        }
        return c;
    }

    private static double div(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
