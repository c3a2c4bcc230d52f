package dev.quant4j.kernels;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one kernel call on a shared pool of daemon threads. Instances of the same
 * thread count share one pool (sized threads − 1, since the calling thread does part 0), so making
 * many {@link Kernels} instances does not make many threads. A call from inside a pool thread runs
 * inline, which keeps nested use from deadlocking the fixed pool.
 */
final class Parallel {
    private Parallel() {}

    private static final ConcurrentHashMap<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private static final class Worker extends Thread {
        Worker(Runnable r) {
            super(r, "quant4j-kernels-" + IDS.incrementAndGet());
            setDaemon(true);
        }
    }

    /** Calls {@code part.accept(t)} for t in [0, parts), using up to {@code threads} threads. */
    static void run(int threads, int parts, IntConsumer part) {
        if (parts <= 1 || threads <= 1 || Thread.currentThread() instanceof Worker) {
            for (int t = 0; t < parts; t++) part.accept(t);
            return;
        }
        ExecutorService pool = POOLS.computeIfAbsent(threads, n -> Executors.newFixedThreadPool(n - 1, Worker::new));
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int id = t;
            futures[t - 1] = pool.submit(() -> part.accept(id));
        }
        Throwable failure = null;
        try {
            part.accept(0);
        } catch (Throwable e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException("kernel part failed", failure);
    }

    /** Start of part {@code t} when {@code total} units are split into {@code parts} near-equal ranges. */
    static int split(int total, int parts, int t) {
        return (int) ((long) total * t / parts);
    }
}
