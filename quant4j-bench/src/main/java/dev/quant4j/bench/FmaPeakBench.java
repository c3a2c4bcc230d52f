package dev.quant4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.*;

/**
 * The machine's fp32 FMA ceiling for one core, as the Vector API reaches it: 12 independent FMA
 * chains (more than latency × FMA units on AVX2 and AVX-512 machines, few enough to stay in
 * registers on AVX2's 16), no loads. FLOP per call = {@link #ITERATIONS}·12·2·lanes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class FmaPeakBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final int ITERATIONS = 1 << 20, CHAINS = 12;

    public static double flopPerCall() { return (double) ITERATIONS * CHAINS * 2 * F.length(); }

    float seed = 1f;

    @Benchmark
    public float fmaChains(CpuTime cpu) {
        cpu.begin();
        float r = chains(seed);
        cpu.end();
        return r;
    }

    /** The measured loop, {@link #flopPerCall()} FLOP; also timed next to other kernels by {@link PairedBench}. */
    public static float chains(float seed) {
        FloatVector m = FloatVector.broadcast(F, 0.999f), a = FloatVector.broadcast(F, 1e-3f);
        FloatVector c0 = FloatVector.broadcast(F, seed), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a);
            c4 = c4.fma(m, a); c5 = c5.fma(m, a); c6 = c6.fma(m, a); c7 = c7.fma(m, a);
            c8 = c8.fma(m, a); c9 = c9.fma(m, a); c10 = c10.fma(m, a); c11 = c11.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
