package dev.quant4j.runtime.ops;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Splits the independent parts of one operator (image planes, channels) across threads. The
 * kernels' own pool is private to them, so operators use the common fork-join pool, and only when
 * the session allows more than one thread and the work is large enough to pay for the hand-off.
 * Parts must not call the multi-threaded kernels (the two pools would oversubscribe the cores).
 */
final class OpThreads {
    private OpThreads() {}

    /** Below this many element operations in total, threads cost more than they save. */
    static final long MIN_WORK = 1 << 15;

    static void forEach(int threads, int parts, long totalWork, IntConsumer part) {
        if (threads <= 1 || parts <= 1 || totalWork < MIN_WORK) {
            for (int p = 0; p < parts; p++) part.accept(p);
        } else {
            IntStream.range(0, parts).parallel().forEach(part);
        }
    }
}
