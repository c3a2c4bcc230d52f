package dev.quant4j.nativekernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs parts of one kernel call on daemon threads. The C side has no threads of its own: Java
 * splits the output into disjoint ranges and makes one downcall per range.
 */
final class Parallel {
    private Parallel() {}

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "quant4j-native");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code part.accept(i)} for i in [0, parts); part 0 on the calling thread. */
    static void run(int parts, IntConsumer part) {
        if (parts <= 1) { part.accept(0); return; }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            int p = i;
            futures.add(POOL.submit(() -> part.accept(p)));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) throw failure;
    }

    /** Splits [0, total) into at most {@code parts} ranges whose starts are multiples of {@code align}. */
    static int[] split(int total, int parts, int align) {
        int units = (total + align - 1) / align;
        parts = Math.max(1, Math.min(parts, units));
        int[] bounds = new int[parts + 1];
        for (int i = 0; i <= parts; i++) bounds[i] = Math.min(total, (int) ((long) units * i / parts) * align);
        return bounds;
    }
}
