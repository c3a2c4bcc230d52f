package dev.quant4j.bench.nativekernels;

import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.PackedF32;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.nativekernels.NativeProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The native int8 GEMM (u8·s8 → s32, weights prepacked) next to the Java (panama) fp32 GEMM with
 * prepacked weights and the Java int8 GEMM, on the same square shapes and thread counts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 2)
public class NativeGemmBench {
    @Param({"1024", "2048"}) public int size;
    @Param({"1", "2"}) public int threads;

    Kernels nat, java;
    byte[] a8;
    PackedI8 packed8, packed8Java;
    int[] out;
    float[] a, c;
    PackedF32 packed;
    Arena arena;

    @Setup
    public void setUp() {
        Random r = new Random(42);
        int n = size;
        nat = new NativeProvider().create(threads);
        java = KernelsFactory.provider("panama").create(threads);
        a8 = new byte[n * n];
        byte[] b8 = new byte[n * n];
        r.nextBytes(a8);
        r.nextBytes(b8);
        packed8 = nat.packI8(n, n, MemorySegment.ofArray(b8), 0, n, false, new int[] {3});
        packed8Java = java.packI8(n, n, MemorySegment.ofArray(b8), 0, n, false, new int[] {3});
        out = new int[n * n];
        a = new float[n * n];
        c = new float[n * n];
        arena = Arena.ofShared();
        MemorySegment wb = arena.allocate((long) n * n * 4, 64);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            wb.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() - 0.5f);
        }
        packed = java.packF32(n, n, wb, 0, n, false);
    }

    @TearDown
    public void tearDown() { arena.close(); }

    @Benchmark
    public int int8Native() {
        nat.gemmI8(size, a8, 0, size, true, 128, packed8, new Epilogue.ToInt32(out, 0, size));
        return out[size + 1];
    }

    @Benchmark
    public int int8Java() {
        java.gemmI8(size, a8, 0, size, true, 128, packed8Java, new Epilogue.ToInt32(out, 0, size));
        return out[size + 1];
    }

    @Benchmark
    public float fp32Java() {
        java.sgemm(size, a, 0, size, packed, c, 0, size, false);
        return c[size + 1];
    }
}
