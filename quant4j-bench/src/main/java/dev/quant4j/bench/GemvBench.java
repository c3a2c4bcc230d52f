package dev.quant4j.bench;

import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Matrix-vector products over a 4096×4096 weight matrix held off-heap (as a memory-mapped model
 * would be): fp32, and block-quantized int8 and int4 (MatMulNBits layout, block 32, with zero-points).
 * The matrices (64, 16 and 8 MB) do not fit the caches, so these measure streaming from DRAM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 10, time = 1)
public class GemvBench {
    @Param({"4096"}) public int size;
    @Param({"32"}) public int blockSize;
    @Param({"1"}) public int threads;
    @Param({"panama"}) public String provider;

    Kernels k;
    Arena arena;
    MemorySegment w;
    BlockQuantizedMatrix q8, q4;
    float[] x, y;

    @Setup
    public void setUp() {
        k = KernelsFactory.provider(provider).create(threads);
        arena = Arena.ofShared();
        Random r = new Random(7);
        int n = size, blocks = n * (n / blockSize);
        w = arena.allocate((long) n * n * 4, 64);
        for (long i = 0; i < (long) n * n; i++) w.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() - 0.5f);
        q8 = quantized(r, n, 8, blocks);
        q4 = quantized(r, n, 4, blocks);
        x = new float[n];
        y = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() - 0.5f;
    }

    private BlockQuantizedMatrix quantized(Random r, int n, int bits, int blocks) {
        long bytes = (long) n * n * bits / 8;
        MemorySegment d = arena.allocate(bytes, 64);
        byte[] chunk = new byte[1 << 16];
        for (long o = 0; o < bytes; o += chunk.length) {
            r.nextBytes(chunk);
            MemorySegment.copy(chunk, 0, d, ValueLayout.JAVA_BYTE, o, (int) Math.min(chunk.length, bytes - o));
        }
        float[] scales = new float[blocks];
        byte[] zps = new byte[blocks];
        for (int i = 0; i < blocks; i++) {
            scales[i] = 0.01f + r.nextFloat() * 0.01f;
            zps[i] = (byte) (bits == 4 ? r.nextInt(16) : r.nextInt(256));
        }
        return new BlockQuantizedMatrix(n, n, bits, blockSize, d, scales, zps);
    }

    @TearDown
    public void tearDown() { arena.close(); }

    @Benchmark
    public float sgemv(CpuTime cpu) {
        cpu.begin();
        k.sgemv(size, size, w, 0, size, x, 0, y, 0);
        cpu.end();
        return y[1];
    }

    @Benchmark
    public float gemvInt8(CpuTime cpu) {
        cpu.begin();
        k.gemvQ(q8, x, 0, y, 0);
        cpu.end();
        return y[1];
    }

    @Benchmark
    public float gemvInt4(CpuTime cpu) {
        cpu.begin();
        k.gemvQ(q4, x, 0, y, 0);
        cpu.end();
        return y[1];
    }
}
