package dev.quant4j.tune;

import dev.quant4j.data.Dataset;
import dev.quant4j.graph.Tensor;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Items of a data set (images with labels, text lines with their strings, sentences) and how to
 * feed one of them to a model. Calibration and evaluation read the same items: {@link #split}
 * cuts them into the two parts through {@link Dataset#split}, and each item remembers its index in
 * the original data set, so that a test (or a user) can check the parts never overlap.
 *
 * <p>Items are read when asked (the data set is lazy); nothing is cached here.
 */
public final class EvalData<T> {
    private final Dataset<T> items;
    private final int[] baseIndex;
    private final Function<T, Map<String, Tensor>> feeder;

    private EvalData(Dataset<T> items, int[] baseIndex, Function<T, Map<String, Tensor>> feeder) {
        this.items = items;
        this.baseIndex = baseIndex;
        this.feeder = feeder;
    }

    /** All items of {@code items}, each fed to the model by {@code feeder} (a batch of one). */
    public static <T> EvalData<T> of(Dataset<T> items, Function<T, Map<String, Tensor>> feeder) {
        int[] idx = new int[items.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return new EvalData<>(items, idx, feeder);
    }

    /** Feeds a {@link Sample} to input {@code input} as a batch of one: shape [1, ...sample shape]. */
    public static Function<dev.quant4j.data.Sample, Map<String, Tensor>> batchOfOne(String input) {
        return s -> {
            long[] shape = new long[s.shape().length + 1];
            shape[0] = 1;
            System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
            return Map.of(input, Tensor.of(s.data(), shape));
        };
    }

    public int size() { return baseIndex.length; }

    public String name() { return items.name(); }

    /** Item {@code i} of this part. */
    public T item(int i) { return items.get(baseIndex[i]); }

    /** The model inputs for item {@code i}. */
    public Map<String, Tensor> feeds(int i) { return feeder.apply(item(i)); }

    /** The index of item {@code i} in the original data set. */
    public int baseIndex(int i) { return baseIndex[i]; }

    /**
     * A calibration part of {@code round(fraction·size)} items and an evaluation part of the rest,
     * drawn by {@link Dataset#split} (a permutation fixed by {@code seed}) over this part's indices:
     * the two never share an item.
     */
    public Split<T> split(double calibrationFraction, long seed) {
        Dataset<Integer> positions = new Dataset<>() {
            @Override public int size() { return baseIndex.length; }
            @Override public Integer get(int index) { return baseIndex[index]; }
        };
        Dataset.Split<Integer> s = positions.split(calibrationFraction, seed);
        return new Split<>(part(s.calibration()), part(s.evaluation()));
    }

    private EvalData<T> part(Dataset<Integer> indices) {
        int[] idx = new int[indices.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = indices.get(i);
        return new EvalData<>(items, idx, feeder);
    }

    /** Items {@code from} (inclusive) to {@code to} (exclusive) of this part: e.g. the held-out items a small subset did not use. */
    public EvalData<T> range(int from, int to) {
        if (from < 0 || to > baseIndex.length || from > to)
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + baseIndex.length + " items");
        return new EvalData<>(items, java.util.Arrays.copyOfRange(baseIndex, from, to), feeder);
    }

    /** The first {@code n} items of this part (all, when there are fewer). */
    public EvalData<T> limit(int n) {
        return new EvalData<>(items, java.util.Arrays.copyOf(baseIndex, Math.min(n, baseIndex.length)), feeder);
    }

    /** The feeds of every item in order, read one at a time (for a calibrator). */
    public Iterable<Map<String, Tensor>> feedsIterable() {
        return () -> new Iterator<>() {
            private int next;
            @Override public boolean hasNext() { return next < baseIndex.length; }
            @Override public Map<String, Tensor> next() {
                if (next >= baseIndex.length) throw new java.util.NoSuchElementException();
                return feeds(next++);
            }
        };
    }

    /** Two disjoint parts of one data set. */
    public record Split<T>(EvalData<T> calibration, EvalData<T> evaluation) {}
}
