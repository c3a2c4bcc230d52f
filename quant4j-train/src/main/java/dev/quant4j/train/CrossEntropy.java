package dev.quant4j.train;

/**
 * Softmax cross-entropy over logits [n × classes], mean over the batch, computed in double with
 * the max subtracted. The gradient with respect to the logits is (softmax − onehot)/n.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    public record Result(double loss, float[] grad, int correct) {}

    public static Result of(float[] logits, int[] labels, int classes) {
        int n = labels.length;
        if (logits.length != n * classes) throw new IllegalArgumentException(logits.length + " logits for " + n + " labels of " + classes + " classes");
        float[] g = new float[logits.length];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int o = i * classes, label = labels[i];
            if (label < 0 || label >= classes) throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < classes; j++) if (logits[o + j] > max) { max = logits[o + j]; arg = j; }
            if (arg == label) correct++;
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += Math.exp(logits[o + j] - max);
            double logZ = max + Math.log(sum);
            loss += logZ - logits[o + label];
            for (int j = 0; j < classes; j++) g[o + j] = (float) ((Math.exp(logits[o + j] - logZ) - (j == label ? 1 : 0)) / n);
        }
        return new Result(loss / n, g, correct);
    }
}
