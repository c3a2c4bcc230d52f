package dev.quant4j.llm.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a row range into contiguous chunks run on a shared pool of daemon threads, the caller
 * taking the first chunk. Contiguous chunks keep each thread streaming its own part of the weights.
 */
final class RowParallel {
    private RowParallel() {}

    /** Work below this many multiply-adds runs on the caller: thread hand-off would cost more. */
    static final long MIN_PARALLEL_WORK = 1L << 16;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "quant4j-llm-matvec");
        t.setDaemon(true);
        return t;
    });

    interface Range { void run(int from, int to); }

    static void run(int rows, int threads, long work, Range body) {
        int t = work < MIN_PARALLEL_WORK ? 1 : Math.max(1, Math.min(threads, rows));
        if (t == 1) { body.run(0, rows); return; }
        List<Future<?>> fs = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            int from = (int) ((long) rows * i / t), to = (int) ((long) rows * (i + 1) / t);
            fs.add(POOL.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) rows / t));
        try {
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a parallel matrix product", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw new IllegalStateException(e.getCause());
        }
    }
}
