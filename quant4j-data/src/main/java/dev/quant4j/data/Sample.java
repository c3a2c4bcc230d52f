package dev.quant4j.data;

import java.util.Arrays;

/**
 * One input of a model as plain floats in row-major order, with its shape (without the batch
 * dimension) and whatever ground truth the data set has: a class label (or {@link #NO_LABEL}) and/or
 * a text (or null). The runtime adapts it to its own tensor type.
 */
public record Sample(float[] data, long[] shape, int label, String text) {
    public static final int NO_LABEL = -1;

    public Sample {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
    }

    public Sample(float[] data, long[] shape, int label) {
        this(data, shape, label, null);
    }

    public boolean hasLabel() {
        return label != NO_LABEL;
    }

    @Override
    public String toString() {
        return "Sample" + Arrays.toString(shape) + (hasLabel() ? " label=" + label : "") + (text == null ? "" : " text=\"" + text + "\"");
    }
}
