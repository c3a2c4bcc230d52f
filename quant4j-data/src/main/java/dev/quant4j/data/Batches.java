package dev.quant4j.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates a data set of samples in batches of {@code batchSize} (the last one may be smaller).
 * Only the batch being built is held, so memory is bounded by the batch size, not the data set.
 */
public final class Batches implements Iterator<Batch> {
    private final Dataset<Sample> dataset;
    private final int batchSize;
    private final ProgressListener listener;
    private final Sample[] pending;
    private int next;

    public Batches(Dataset<Sample> dataset, int batchSize, ProgressListener listener) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.listener = listener;
        this.pending = new Sample[batchSize];
    }

    public static Iterable<Batch> of(Dataset<Sample> dataset, int batchSize) {
        return () -> new Batches(dataset, batchSize, ProgressListener.NONE);
    }

    public static Iterable<Batch> of(Dataset<Sample> dataset, int batchSize, ProgressListener listener) {
        return () -> new Batches(dataset, batchSize, listener);
    }

    @Override
    public boolean hasNext() {
        return next < dataset.size();
    }

    @Override
    public Batch next() {
        int n = dataset.size();
        if (next >= n) throw new NoSuchElementException();
        int count = Math.min(batchSize, n - next);
        for (int i = 0; i < count; i++) pending[i] = dataset.get(next + i);
        Batch b = Batch.of(pending, count);
        java.util.Arrays.fill(pending, null); // the batch owns copies; drop the samples
        next += count;
        listener.progress(next, n);
        return b;
    }
}
