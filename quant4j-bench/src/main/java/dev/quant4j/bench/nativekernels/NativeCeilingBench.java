package dev.quant4j.bench.nativekernels;

import dev.quant4j.nativekernels.NativeCeilings;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Instruction ceilings (independent chains, no memory) on 1 and 2 threads; the report divides
 * {@link #ITERS} iterations' operations by the time of one call. {@code kind} values this CPU
 * lacks are reported as absent by the report, not run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
public class NativeCeilingBench {
    public static final long ITERS = 1 << 20;

    @Param({"MADDWD_256"}) public String kind;
    @Param({"1", "2"}) public int threads;

    NativeCeilings.Kind k;
    ExecutorService pool;

    @Setup
    public void setUp() {
        k = NativeCeilings.Kind.valueOf(kind);
        if (NativeCeilings.run(k, 1) < 0) throw new IllegalStateException(kind + " is not supported by this CPU");
        pool = Executors.newFixedThreadPool(threads);
    }

    @TearDown
    public void tearDown() { pool.shutdownNow(); }

    @Benchmark
    public long peak() throws Exception {
        if (threads == 1) return NativeCeilings.run(k, ITERS);
        Future<?>[] f = new Future<?>[threads];
        for (int t = 0; t < threads; t++) f[t] = pool.submit(() -> NativeCeilings.run(k, ITERS));
        long ops = 0;
        for (Future<?> x : f) ops += (Long) x.get();
        return ops;
    }
}
