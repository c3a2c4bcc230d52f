package dev.quant4j.train.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-iteration totals reported next to JMH's wall time: the benchmark thread's CPU time (steady
 * on a shared machine, where wall time also counts waiting for a core), calls, and for training
 * steps the CPU time of forward, backward and optimizer. Ratios of these are what to read.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class StepCounters {
    public long cpuNanos, calls, forwardCpuNanos, backwardCpuNanos, optimizerCpuNanos;

    @Setup(Level.Iteration)
    public void reset() { cpuNanos = calls = forwardCpuNanos = backwardCpuNanos = optimizerCpuNanos = 0; }
}
