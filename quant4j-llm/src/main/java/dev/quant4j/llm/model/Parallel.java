package dev.quant4j.llm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs independent tasks 0..n-1 on up to {@code threads} threads (for per-sequence work). */
public final class Parallel {
    private Parallel() {}

    public static void forEach(int n, int threads, IntConsumer body) {
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n))) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit(() -> body.accept(k)));
            }
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error er) throw er;
            throw new IllegalStateException(e.getCause());
        }
    }
}
