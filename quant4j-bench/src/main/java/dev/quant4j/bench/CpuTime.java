package dev.quant4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time of the benchmark thread per call, reported next to JMH's wall time as the secondary
 * results "cpuNanos" and "calls". On a machine shared with other work, wall time also counts the
 * time the thread waited for a core; CPU time does not, so single-threaded ratios computed from it
 * are steadier. (It still includes slow-downs from co-runners sharing caches and memory.)
 * Meaningful for single-threaded calls only: other threads' time is not counted.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    public long cpuNanos;
    public long calls;
    private long start;

    @Setup(Level.Iteration)
    public void reset() {
        cpuNanos = 0;
        calls = 0;
    }

    public void begin() { start = MX.getCurrentThreadCpuTime(); }

    public void end() {
        cpuNanos += MX.getCurrentThreadCpuTime() - start;
        calls++;
    }
}
