package dev.quant4j.data;

import java.util.Arrays;

/**
 * Samples of one shape stacked along a new first dimension: {@code shape = [n, ...sample shape]},
 * data row-major. {@code labels[i]} and {@code texts[i]} belong to sample {@code i}.
 */
public record Batch(float[] data, long[] shape, int[] labels, String[] texts) {
    public int size() {
        return labels.length;
    }

    /** Stacks samples that all have the same shape. */
    public static Batch of(Sample[] samples, int count) {
        if (count < 1) throw new IllegalArgumentException("empty batch");
        long[] s0 = samples[0].shape();
        int per = samples[0].data().length;
        float[] data = new float[Math.multiplyExact(per, count)];
        int[] labels = new int[count];
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            Sample s = samples[i];
            if (!Arrays.equals(s.shape(), s0))
                throw new IllegalArgumentException("cannot batch shape " + Arrays.toString(s.shape()) + " with " + Arrays.toString(s0)
                        + "; add a preprocessing step that gives every sample one shape");
            System.arraycopy(s.data(), 0, data, i * per, per);
            labels[i] = s.label();
            texts[i] = s.text();
        }
        long[] shape = new long[s0.length + 1];
        shape[0] = count;
        System.arraycopy(s0, 0, shape, 1, s0.length);
        return new Batch(data, shape, labels, texts);
    }
}
