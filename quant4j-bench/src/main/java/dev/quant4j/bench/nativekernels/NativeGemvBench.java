package dev.quant4j.bench.nativekernels;

import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.nativekernels.NativeProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Matrix-vector products 4096² on one thread: native INT4/INT8 weight-only GEMV (block 32,
 * with zero points) against the Java fp32 GEMV and the Java INT4 GEMV; and the INT4 weight-only
 * GEMM with {@link #BATCH} rows of activations, native against Java. Weights live off-heap, as
 * memory-mapped model weights do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class NativeGemvBench {
    public static final int BATCH = 32;

    @Param({"4096"}) public int size;

    Kernels nat, java;
    Arena arena;
    MemorySegment w32;
    BlockQuantizedMatrix w4, w8;
    float[] x, y, xb, yb;

    @Setup
    public void setUp() {
        int n = size, block = 32, blocks = n * (n / block);
        nat = new NativeProvider().create(1);
        java = KernelsFactory.provider("panama").create(1);
        Random r = new Random(3);
        arena = Arena.ofShared();
        w32 = arena.allocate((long) n * n * 4, 64);
        for (long i = 0; i < (long) n * n; i++) w32.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() - 0.5f);
        w4 = quantized(r, n, 4, block, blocks);
        w8 = quantized(r, n, 8, block, blocks);
        x = new float[n];
        y = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        xb = new float[BATCH * n];
        yb = new float[BATCH * n];
        for (int i = 0; i < xb.length; i++) xb[i] = (float) r.nextGaussian();
    }

    private BlockQuantizedMatrix quantized(Random r, int n, int bits, int block, int blocks) {
        MemorySegment data = arena.allocate((long) n * n * bits / 8, 64);
        for (long i = 0; i < data.byteSize(); i++) data.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        float[] scales = new float[blocks];
        byte[] zps = new byte[blocks];
        for (int i = 0; i < blocks; i++) { scales[i] = 0.01f + r.nextFloat() * 0.01f; zps[i] = (byte) r.nextInt(1 << bits); }
        return new BlockQuantizedMatrix(n, n, bits, block, data, scales, zps);
    }

    @TearDown
    public void tearDown() { arena.close(); }

    @Benchmark
    public float int4Native() { nat.gemvQ(w4, x, 0, y, 0); return y[7]; }

    @Benchmark
    public float int8Native() { nat.gemvQ(w8, x, 0, y, 0); return y[7]; }

    @Benchmark
    public float int4Java() { java.gemvQ(w4, x, 0, y, 0); return y[7]; }

    @Benchmark
    public float int4GemmNative() { nat.gemmQ(BATCH, xb, 0, size, w4, yb, 0, size); return yb[7]; }

    @Benchmark
    public float int4GemmJava() { java.gemmQ(BATCH, xb, 0, size, w4, yb, 0, size); return yb[7]; }

    @Benchmark
    public float fp32Java() { java.sgemv(size, size, w32, 0, size, x, 0, y, 0); return y[7]; }
}
