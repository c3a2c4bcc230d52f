package dev.quant4j.eval;

import java.util.Arrays;

/**
 * A growable list of doubles: the per-sample values an accumulator keeps instead of the model
 * outputs, so memory is a few numbers per sample however large the outputs are.
 */
public final class SampleValues {
    private double[] data = new double[64];
    private int size;

    public void add(double v) {
        if (size == data.length) data = Arrays.copyOf(data, size * 2);
        data[size++] = v;
    }

    public int size() {
        return size;
    }

    public double get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + " of " + size);
        return data[i];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return Arrays.copyOf(data, size);
    }

    public double sum() {
        double s = 0;
        for (int i = 0; i < size; i++) s += data[i];
        return s;
    }
}
