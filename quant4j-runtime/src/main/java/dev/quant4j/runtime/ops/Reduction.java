package dev.quant4j.runtime.ops;

import java.util.Arrays;

/**
 * Reduces a row-major array over any set of axes. Adjacent axes that are alike (all reduced or all
 * kept) merge into groups and size-1 axes drop out, so the input becomes alternating groups:
 *
 * <pre>
 *   dims   [ 2 | 3 4 | 5 ]   reduced {1,2}     groups  [2 kept][12 reduced][5 kept]
 *   input walked as runs of the last group (5 contiguous elements);
 *   an odometer over the other groups gives each run's output offset
 *   (a reduced group adds 0 to it, a kept group its output stride).
 * </pre>
 *
 * When the last group is reduced a run folds into one output; when it is kept a run folds into as
 * many consecutive outputs.
 */
final class Reduction {
    private Reduction() {}

    enum Kind {
        SUM("ReduceSum"), MEAN("ReduceMean"), MAX("ReduceMax"), MIN("ReduceMin"), PROD("ReduceProd"),
        L1("ReduceL1"), L2("ReduceL2"), LOG_SUM("ReduceLogSum"), LOG_SUM_EXP("ReduceLogSumExp"), SUM_SQUARE("ReduceSumSquare");

        final String opType;

        Kind(String opType) { this.opType = opType; }
    }

    /** The reduction of {@code x} (shape {@code dims}) over the axes flagged in {@code reduced}. */
    static double[] run(Kind kind, double[] x, int[] dims, boolean[] reduced) {
        int outSize = 1, count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (reduced[i]) count *= dims[i];
            else outSize *= dims[i];
        }
        Groups g = Groups.of(dims, reduced);
        double[] acc = new double[outSize];
        if (kind == Kind.LOG_SUM_EXP) {
            double[] max = new double[outSize];
            fold(Kind.MAX, x, g, max, null);
            for (int i = 0; i < max.length; i++) if (Double.isInfinite(max[i])) max[i] = 0; // all -inf (or +inf): no shift
            fold(kind, x, g, acc, max);
            for (int i = 0; i < acc.length; i++) acc[i] = max[i] + Math.log(acc[i]);
            return acc;
        }
        fold(kind, x, g, acc, null);
        for (int i = 0; i < acc.length; i++) {
            acc[i] = switch (kind) {
                case MEAN -> acc[i] / count;
                case L2 -> Math.sqrt(acc[i]);
                case LOG_SUM -> Math.log(acc[i]);
                default -> acc[i];
            };
        }
        return acc;
    }

    /** Folds every element into its output cell; {@code shift} is the per-output max for LOG_SUM_EXP. */
    private static void fold(Kind kind, double[] x, Groups g, double[] acc, double[] shift) {
        double init = switch (kind) { case MAX -> Double.NEGATIVE_INFINITY; case MIN -> Double.POSITIVE_INFINITY; case PROD -> 1; default -> 0; };
        Arrays.fill(acc, init);
        int len = g.runLength, runs = len == 0 ? 0 : x.length / len;
        int[] idx = new int[g.count - 1];
        int out = 0;
        for (int run = 0; run < runs; run++) {
            int in = run * len;
            if (g.lastReduced) {
                double a = acc[out];
                for (int i = 0; i < len; i++) a = step(kind, a, x[in + i], shift == null ? 0 : shift[out]);
                acc[out] = a;
            } else {
                for (int i = 0; i < len; i++) acc[out + i] = step(kind, acc[out + i], x[in + i], shift == null ? 0 : shift[out + i]);
            }
            for (int d = g.count - 2; d >= 0; d--) {
                out += g.outStride[d];
                if (++idx[d] < g.size[d]) break;
                out -= g.outStride[d] * g.size[d];
                idx[d] = 0;
            }
        }
    }

    private static double step(Kind kind, double a, double v, double shift) {
        return switch (kind) {
            case SUM, MEAN, LOG_SUM -> a + v;
            case MAX -> Math.max(a, v);
            case MIN -> Math.min(a, v);
            case PROD -> a * v;
            case L1 -> a + Math.abs(v);
            case L2, SUM_SQUARE -> a + v * v;
            case LOG_SUM_EXP -> a + Math.exp(v - shift);
        };
    }

    /** Merged axis groups; the last one is walked as contiguous runs. */
    private record Groups(int count, int[] size, int[] outStride, int runLength, boolean lastReduced) {
        static Groups of(int[] dims, boolean[] reduced) {
            int[] size = new int[dims.length + 1];
            boolean[] red = new boolean[dims.length + 1];
            int n = 0;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] == 1) continue;
                if (n > 0 && red[n - 1] == reduced[i]) size[n - 1] *= dims[i];
                else { size[n] = dims[i]; red[n] = reduced[i]; n++; }
            }
            if (n == 0) { size[0] = 1; red[0] = true; n = 1; }
            int[] stride = new int[n];
            int s = 1;
            for (int i = n - 1; i >= 0; i--) {
                stride[i] = red[i] ? 0 : s;
                if (!red[i]) s *= size[i];
            }
            return new Groups(n, size, stride, size[n - 1], red[n - 1]);
        }
    }
}
