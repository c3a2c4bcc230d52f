package dev.quant4j.llm.quant;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Worker threads that stay awake between the matrix products of a decode step and share each
 * product's rows in chunks claimed one at a time.
 *
 * <p>Why: a decode step is ~90 products of a few hundred microseconds each, with only norms,
 * RoPE and attention between them. Handing each product to a pooled thread that had parked cost a
 * wake-up on the way in (the worker) and often on the way out (the caller), and a fixed half of the
 * rows per thread left the faster core idle whenever the other was slowed by the machine's other
 * work. Here an idle worker polls for the next job for {@link #SPIN_NS} before it parks, the caller
 * polls for the end of its job the same way, and the rows are claimed in chunks until none are left.
 *
 * <p>One job at a time: {@link #tryRun} returns false (nothing run) when another caller's job is in
 * progress, or when called from inside a job, and that caller then uses a plain pool.
 */
final class SpinTeam {
    /** How long an idle worker (or a waiting caller) polls before it parks: {@code -Dquant4j.llm.spinMicros}, default 500. */
    static final long SPIN_NS = Long.getLong("quant4j.llm.spinMicros", 500) * 1_000;

    private static final SpinTeam TEAM = new SpinTeam();

    private final ReentrantLock busy = new ReentrantLock();
    private Worker[] workers = new Worker[0];
    /** The latest job; workers compare it by identity with the last one they served. */
    private volatile Job job;

    static SpinTeam get() { return TEAM; }

    /**
     * Runs body over [0, rows) in {@code chunks} contiguous chunks on the caller and up to
     * {@code threads - 1} workers; false when the team is serving another job (nothing was run).
     */
    boolean tryRun(int rows, int chunks, int threads, RowParallel.Range body) {
        // a job's body that itself asks for threads (held by this thread) or a second caller: not here
        if (busy.isHeldByCurrentThread() || !busy.tryLock()) return false;
        try {
            ensureWorkers(threads - 1);
            Job j = new Job(body, rows, chunks, threads - 1);
            job = j;
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
            j.work();
            for (long t0 = System.nanoTime(); j.done.get() < chunks; ) {
                if (System.nanoTime() - t0 < SPIN_NS) Thread.onSpinWait();
                else LockSupport.parkNanos(20_000);
            }
            Throwable e = j.error;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error er) throw er;
            if (e != null) throw new IllegalStateException(e);
            return true;
        } finally {
            busy.unlock();
        }
    }

    private void ensureWorkers(int n) {
        if (workers.length >= n) return;
        Worker[] more = java.util.Arrays.copyOf(workers, n);
        for (int i = workers.length; i < n; i++) {
            more[i] = new Worker(i);
            more[i].start();
        }
        workers = more;
    }

    private static final class Job {
        final RowParallel.Range body;
        final int rows, chunks;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger(), seats;
        volatile Throwable error;

        Job(RowParallel.Range body, int rows, int chunks, int helpers) {
            this.body = body;
            this.rows = rows;
            this.chunks = chunks;
            this.seats = new AtomicInteger(helpers);
        }

        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (error == null) body.run((int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks));
                } catch (Throwable t) {
                    error = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private final class Worker extends Thread {
        /** Set before the worker re-reads {@link #job} and parks: the dispatcher, which writes the job first, then sees it and unparks. */
        volatile boolean parked;

        Worker(int i) {
            super("quant4j-llm-team-" + i);
            setDaemon(true);
        }

        @Override public void run() {
            Job seen = null;
            long idleSince = System.nanoTime();
            while (true) {
                Job j = job;
                if (j != null && j != seen) {
                    seen = j;
                    if (j.seats.getAndDecrement() > 0) j.work();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (job == seen) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
