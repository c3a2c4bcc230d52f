package dev.quant4j.eval;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Greedy (best-path) CTC decoding: the arg-max class of each time step, repeats merged, blanks
 * dropped. A blank between two equal symbols keeps both ("a-a" is "aa", "aa" is "a").
 */
public final class CtcGreedyDecoder {
    private final int blank;

    public CtcGreedyDecoder(int blank) {
        if (blank < 0) throw new IllegalArgumentException("blank index must be >= 0, got " + blank);
        this.blank = blank;
    }

    public int blank() { return blank; }

    /** Decodes row-major [steps][classes] scores (logits or probabilities) to class ids. */
    public int[] decode(float[] scores, int steps, int classes) {
        if (steps < 0 || classes < 1 || (long) steps * classes != scores.length) {
            throw new IllegalArgumentException("scores has " + scores.length + " values, not steps " + steps + " x classes " + classes);
        }
        if (blank >= classes) throw new IllegalArgumentException("blank " + blank + " outside [0, " + classes + ")");
        int[] out = new int[steps];
        int n = 0, previous = -1;
        for (int t = 0; t < steps; t++) {
            int best = argmax(scores, t * classes, classes);
            if (best != blank && best != previous) out[n++] = best;
            previous = best;
        }
        return Arrays.copyOf(out, n);
    }

    /** Decodes and maps each class id to its symbol (e.g. a character dictionary). */
    public String decodeText(float[] scores, int steps, int classes, IntFunction<String> symbol) {
        StringBuilder sb = new StringBuilder();
        for (int id : decode(scores, steps, classes)) sb.append(symbol.apply(id));
        return sb.toString();
    }

    /** First index of the maximum; NaN never wins. */
    static int argmax(float[] v, int offset, int length) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int c = 0; c < length; c++) {
            float x = v[offset + c];
            if (!found && !Float.isNaN(x) || x > max) {
                max = x;
                best = c;
                found = true;
            }
        }
        return best;
    }
}
