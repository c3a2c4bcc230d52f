package dev.quant4j.bench;

import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.PackedF32;
import dev.quant4j.kernels.PackedI8;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * fp32 and int8 GEMM, 1024³ by default, on the provider named by {@code provider}. Weights are
 * packed once in the set-up (as the runtime does); the unpacked sgemm packs B in every call.
 * {@code i8} picks the int8 strategy of the panama provider: "float" (exact sums on the FMA
 * units) or "int" (32-bit integer lanes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 10, time = 1)
public class GemmBench {
    @Param({"1024"}) public int size;
    @Param({"1"}) public int threads;
    @Param({"panama"}) public String provider;
    @Param({"float"}) public String i8;

    Kernels k;
    float[] a, b, c;
    PackedF32 packed;
    byte[] a8;
    PackedI8 packed8;
    int[] out;
    Arena arena;

    @Setup
    public void setUp() {
        System.setProperty("quant4j.kernels.i8", i8);
        k = KernelsFactory.provider(provider).create(threads);
        Random r = new Random(42);
        int n = size;
        a = new float[n * n]; b = new float[n * n]; c = new float[n * n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        arena = Arena.ofShared();
        MemorySegment wb = arena.allocate((long) n * n * 4, 64);
        MemorySegment.copy(b, 0, wb, ValueLayout.JAVA_FLOAT, 0, b.length);
        packed = k.packF32(n, n, wb, 0, n, false);
        a8 = new byte[n * n];
        byte[] b8 = new byte[n * n];
        r.nextBytes(a8);
        r.nextBytes(b8);
        packed8 = k.packI8(n, n, MemorySegment.ofArray(b8), 0, n, false, new int[] {3});
        out = new int[n * n];
    }

    @TearDown
    public void tearDown() { arena.close(); }

    public static double opsPerCall(int size) { return 2.0 * size * size * size; }

    @Benchmark
    public float sgemmPacked(CpuTime cpu) {
        cpu.begin();
        k.sgemm(size, a, 0, size, packed, c, 0, size, false);
        cpu.end();
        return c[size + 1];
    }

    @Benchmark
    public float sgemm(CpuTime cpu) {
        cpu.begin();
        k.sgemm(size, size, size, a, 0, size, b, 0, size, c, 0, size, false);
        cpu.end();
        return c[size + 1];
    }

    @Benchmark
    public int gemmU8S8(CpuTime cpu) {
        cpu.begin();
        k.gemmI8(size, a8, 0, size, true, 128, packed8, new Epilogue.ToInt32(out, 0, size));
        cpu.end();
        return out[size + 1];
    }
}
