package dev.quant4j.llm.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a row range into contiguous chunks run in parallel, the caller taking part: by default on
 * the {@link SpinTeam} (workers that poll between products; {@code -Dquant4j.llm.spin=false}
 * switches it off, read on every call so a benchmark can compare both in one JVM), else (also when
 * the team serves another caller, or more threads than cores are asked for) one chunk per thread
 * on a shared pool of daemon threads.
 * Contiguous chunks keep each thread streaming its own part of the weights.
 */
public final class RowParallel {
    private RowParallel() {}

    /** Work below this many multiply-adds runs on the caller: thread hand-off would cost more. */
    static final long MIN_PARALLEL_WORK = 1L << 16;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "quant4j-llm-matvec");
        t.setDaemon(true);
        return t;
    });

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Chunks are not cut below this many rows. */
    private static final int MIN_CHUNK_ROWS = 16;

    /** A part [from, to) of the rows. */
    public interface Range { void run(int from, int to); }

    /** Chunks per thread for {@link SpinTeam}: enough for a fast core to take over a slowed one's share, few enough to keep each chunk a long stream. */
    static final int CHUNKS_PER_THREAD = 4;

    /**
     * body over [0, rows) on up to {@code threads} threads, the caller among them; on the caller
     * alone when {@code work} (multiply-adds, or the like) is below {@link #MIN_PARALLEL_WORK}.
     */
    public static void run(int rows, int threads, long work, Range body) {
        int t = work < MIN_PARALLEL_WORK ? 1 : Math.max(1, Math.min(threads, rows));
        if (t == 1) { body.run(0, rows); return; }
        int chunks = Math.max(t, Math.min(t * CHUNKS_PER_THREAD, rows / MIN_CHUNK_ROWS));
        // polling workers need a core each: with more threads than cores they would spin on the caller's core
        if (t <= CORES && !"false".equalsIgnoreCase(System.getProperty("quant4j.llm.spin")) && SpinTeam.get().tryRun(rows, chunks, t, body)) return;
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
