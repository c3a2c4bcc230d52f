package dev.quant4j.tune.auto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Times several pieces of work in one run, interleaved: each round runs every piece once, starting
 * with a different one each round, so that a burst of load from other processes on this shared
 * machine falls on all of them alike and their ratio stays fair. Warm-up rounds come first (JIT,
 * weight packing, caches) and are not counted.
 */
public final class SideBySide {
    /** A piece of work to time; exceptions abort the measurement. */
    @FunctionalInterface
    public interface Work { void run() throws Exception; }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SideBySide() {}

    /** One {@link Latency} per piece of work, in the order given. */
    public static List<Latency> time(List<Work> work, int warmupRounds, int rounds) throws Exception {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
        if (cpu && !THREADS.isThreadCpuTimeEnabled()) THREADS.setThreadCpuTimeEnabled(true);
        int n = work.size();
        for (int r = 0; r < warmupRounds; r++) for (Work w : work) w.run();
        long[][] wall = new long[n][rounds], cpuNs = new long[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < n; j++) {
                int i = (r + j) % n;
                long c0 = cpu ? THREADS.getCurrentThreadCpuTime() : -1, t0 = System.nanoTime();
                work.get(i).run();
                long t1 = System.nanoTime(), c1 = cpu ? THREADS.getCurrentThreadCpuTime() : -1;
                wall[i][r] = t1 - t0;
                cpuNs[i][r] = cpu ? c1 - c0 : -1;
            }
        }
        List<Latency> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Latency.of(wall[i], cpuNs[i]));
        return out;
    }
}
