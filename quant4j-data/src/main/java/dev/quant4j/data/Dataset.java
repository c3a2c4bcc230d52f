package dev.quant4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A data set of {@code size()} items reached by index and read lazily: {@link #get} reads (or
 * computes) one item when asked and keeps nothing, so a pass over the whole set holds one item (or
 * one batch) at a time however many there are. Views — {@link #subset}, {@link #shuffled},
 * {@link #split}, {@link #map} — hold at most an index array, never items.
 *
 * <p>Calibration and evaluation read the same data sets; {@link #split} cuts a labelled set into
 * the two without overlap.
 */
public interface Dataset<T> extends Iterable<T> {
    int size();

    /** Reads item {@code index}; throws {@link DataFileException} naming the file when it is malformed. */
    T get(int index);

    /** A human-readable name of where the items come from (a file, a folder). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** The items at these indices, in this order (indices may repeat). */
    default Dataset<T> subset(int[] indices) {
        return new Subset<>(this, indices.clone());
    }

    /** All items in an order fixed by {@code seed} (the same seed always gives the same order). */
    default Dataset<T> shuffled(long seed) {
        return new Subset<>(this, Permutation.of(size(), seed));
    }

    /** The first {@code n} items (or all, if there are fewer). */
    default Dataset<T> limit(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return new Subset<>(this, idx);
    }

    /**
     * Splits into a calibration part of {@code round(fraction·size)} items and an evaluation part of
     * the rest, chosen by a permutation fixed by {@code seed}. The two parts never share an index
     * and together cover every index once.
     */
    default Split<T> split(double calibrationFraction, long seed) {
        if (!(calibrationFraction >= 0 && calibrationFraction <= 1))
            throw new IllegalArgumentException("calibration fraction must be in [0,1], got " + calibrationFraction);
        int n = size();
        int k = (int) Math.round(calibrationFraction * n);
        int[] perm = Permutation.of(n, seed);
        int[] cal = java.util.Arrays.copyOfRange(perm, 0, k);
        int[] eval = java.util.Arrays.copyOfRange(perm, k, n);
        return new Split<>(new Subset<>(this, cal), new Subset<>(this, eval));
    }

    /** Applies {@code f} to each item as it is read (for example a preprocessing step). */
    default <R> Dataset<R> map(Function<? super T, ? extends R> f) {
        Dataset<T> base = this;
        return new Dataset<>() {
            @Override public int size() { return base.size(); }
            @Override public R get(int index) { return f.apply(base.get(index)); }
            @Override public String name() { return base.name(); }
        };
    }

    @Override
    default Iterator<T> iterator() {
        return iterator(ProgressListener.NONE);
    }

    /** Reads the items in order, telling {@code listener} after each one. */
    default Iterator<T> iterator(ProgressListener listener) {
        Dataset<T> ds = this;
        int n = size();
        return new Iterator<>() {
            private int next;

            @Override public boolean hasNext() { return next < n; }

            @Override
            public T next() {
                if (next >= n) throw new NoSuchElementException();
                T item = ds.get(next++);
                listener.progress(next, n);
                return item;
            }
        };
    }

    /** Two disjoint parts of one data set. */
    record Split<T>(Dataset<T> calibration, Dataset<T> evaluation) {}
}
