package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** RowParallel over the spinning team and the plain pool: every row exactly once, errors surfaced, nesting and concurrent callers. */
class RowParallelTest {
    /** Runs rows through RowParallel and returns how often each row was visited. */
    private static AtomicIntegerArray cover(int rows, int threads) {
        AtomicIntegerArray seen = new AtomicIntegerArray(rows);
        RowParallel.run(rows, threads, Long.MAX_VALUE, (from, to) -> {
            assertTrue(0 <= from && from <= to && to <= rows, from + ".." + to);
            for (int r = from; r < to; r++) seen.incrementAndGet(r);
        });
        return seen;
    }

    private static void assertOnce(AtomicIntegerArray seen) {
        for (int r = 0; r < seen.length(); r++) assertEquals(1, seen.get(r), "row " + r);
    }

    @Test void everyRowOnceOnTheTeamAndOnThePool() {
        for (String spin : new String[] {"true", "false"}) {
            System.setProperty("quant4j.llm.spin", spin);
            try {
                for (int threads : new int[] {1, 2, 3, 5})
                    for (int rows : new int[] {1, 2, 7, 16, 33, 100, 5632})
                        for (int rep = 0; rep < 20; rep++) assertOnce(cover(rows, threads));
            } finally {
                System.clearProperty("quant4j.llm.spin");
            }
        }
    }

    @Test void smallWorkStaysOnTheCaller() {
        Thread caller = Thread.currentThread();
        RowParallel.run(1000, 4, RowParallel.MIN_PARALLEL_WORK - 1, (from, to) -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(0, from);
            assertEquals(1000, to);
        });
    }

    @Test void aFailingChunkFailsTheCallAndTheTeamServesTheNextOne() {
        IllegalStateException boom = new IllegalStateException("chunk failed");
        for (int rep = 0; rep < 20; rep++) {
            int bad = rep * 37 % 500;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RowParallel.run(500, 2, Long.MAX_VALUE, (from, to) -> {
                if (from <= bad && bad < to) throw boom;
            }));
            assertSame(boom, e);
            assertOnce(cover(500, 2));
        }
    }

    @Test void aBodyThatAsksForThreadsItselfStillCoversEveryPair() {
        int outer = 64, inner = 300;
        AtomicIntegerArray seen = new AtomicIntegerArray(outer * inner);
        RowParallel.run(outer, 2, Long.MAX_VALUE, (from, to) -> {
            for (int o = from; o < to; o++) {
                int base = o * inner;
                RowParallel.run(inner, 2, Long.MAX_VALUE, (f, t) -> { for (int i = f; i < t; i++) seen.incrementAndGet(base + i); });
            }
        });
        assertOnce(seen);
    }

    @Test void concurrentCallersEachGetTheirRows() throws Exception {
        try (ExecutorService callers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int rows = 1000 + 17 * c;
                fs.add(callers.submit(() -> { for (int rep = 0; rep < 100; rep++) assertOnce(cover(rows, 2)); }));
            }
            for (Future<?> f : fs) f.get();
        }
    }
}
