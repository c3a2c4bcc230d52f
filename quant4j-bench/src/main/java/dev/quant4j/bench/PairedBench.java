package dev.quant4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import dev.quant4j.kernels.BlockQuantizedMatrix;
import org.openjdk.jmh.annotations.*;

/**
 * Two kernels timed back to back in every call, each by the thread's CPU time: the FMA ceiling
 * then the 1024³ fp32 GEMM, or the fp32 GEMV then a quantized GEMV. On this shared machine the
 * core's speed changes from second to second (another tenant on the sibling hardware thread, clock
 * changes): FMA-peak samples of one run spread 55–87 GFLOP/s. Kernels measured in separate forks
 * (as {@link KernelReport}'s main figures are) are each sampled in different conditions; a pair
 * sampled within milliseconds of each other shares them, so {@link KernelReport} also reports the
 * per-iteration ratio of each pair. The kernels and their set-ups are those of
 * {@link FmaPeakBench}, {@link GemmBench} and {@link GemvBench} (used here as states).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 10, time = 1)
public class PairedBench {

    /** CPU nanoseconds of the first and the second kernel of each call, summed per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Pair {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        public long firstNanos, secondNanos, pairs;

        @Setup(Level.Iteration)
        public void reset() { firstNanos = 0; secondNanos = 0; pairs = 0; }
    }

    float seed = 1f;

    @Benchmark
    public float peakThenSgemm(GemmBench g, Pair p) {
        long t0 = Pair.MX.getCurrentThreadCpuTime();
        float r = FmaPeakBench.chains(seed);
        long t1 = Pair.MX.getCurrentThreadCpuTime();
        g.k.sgemm(g.size, g.a, 0, g.size, g.packed, g.c, 0, g.size, false);
        long t2 = Pair.MX.getCurrentThreadCpuTime();
        p.firstNanos += t1 - t0;
        p.secondNanos += t2 - t1;
        p.pairs++;
        return r + g.c[g.size + 1];
    }

    @Benchmark
    public float sgemvThenInt4(GemvBench g, Pair p) { return gemvPair(g, g.q4, p); }

    @Benchmark
    public float sgemvThenInt8(GemvBench g, Pair p) { return gemvPair(g, g.q8, p); }

    private static float gemvPair(GemvBench g, BlockQuantizedMatrix[] q, Pair p) {
        MemorySegment w = g.w[g.next % g.w.length];
        BlockQuantizedMatrix m = q[g.next++ % q.length];
        long t0 = Pair.MX.getCurrentThreadCpuTime();
        g.k.sgemv(g.size, g.size, w, 0, g.size, g.x, 0, g.y, 0);
        long t1 = Pair.MX.getCurrentThreadCpuTime();
        g.k.gemvQ(m, g.x, 0, g.y, 0);
        long t2 = Pair.MX.getCurrentThreadCpuTime();
        p.firstNanos += t1 - t0;
        p.secondNanos += t2 - t1;
        p.pairs++;
        return g.y[1];
    }
}
