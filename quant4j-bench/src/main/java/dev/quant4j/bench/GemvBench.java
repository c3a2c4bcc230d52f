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
 * Every call reads a different copy of its matrix, in rotation, and each format's copies together
 * hold at least {@link #WORKING_SET} bytes (3× the 32 MB L3 here), so every format streams its
 * weights from DRAM: one int4 matrix with its scales and zero-points (10.5 MB) or one int8 matrix
 * (18.5 MB) would otherwise stay in the L3 between calls while the fp32 one (64 MB) cannot.
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

    /** Bytes each format's rotating copies span together. */
    public static final long WORKING_SET = 96L << 20;

    Kernels k;
    Arena arena;
    MemorySegment[] w;
    BlockQuantizedMatrix[] q8, q4;
    int next;
    float[] x, y;

    static int copies(long bytesPerCopy) { return (int) Math.max(1, (WORKING_SET + bytesPerCopy - 1) / bytesPerCopy); }

    static long quantizedBytes(int n, int bits, int blocks) { return (long) n * n * bits / 8 + blocks * 5L; }

    @Setup
    public void setUp() {
        k = KernelsFactory.provider(provider).create(threads);
        arena = Arena.ofShared();
        Random r = new Random(7);
        int n = size, blocks = n * (n / blockSize);
        w = new MemorySegment[copies((long) n * n * 4)];
        for (int c = 0; c < w.length; c++) {
            w[c] = arena.allocate((long) n * n * 4, 64);
            for (long i = 0; i < (long) n * n; i++) w[c].setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() - 0.5f);
        }
        q8 = new BlockQuantizedMatrix[copies(quantizedBytes(n, 8, blocks))];
        for (int c = 0; c < q8.length; c++) q8[c] = quantized(r, n, 8, blocks);
        q4 = new BlockQuantizedMatrix[copies(quantizedBytes(n, 4, blocks))];
        for (int c = 0; c < q4.length; c++) q4[c] = quantized(r, n, 4, blocks);
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
        MemorySegment m = w[next++ % w.length];
        cpu.begin();
        k.sgemv(size, size, m, 0, size, x, 0, y, 0);
        cpu.end();
        return y[1];
    }

    @Benchmark
    public float gemvInt8(CpuTime cpu) {
        BlockQuantizedMatrix m = q8[next++ % q8.length];
        cpu.begin();
        k.gemvQ(m, x, 0, y, 0);
        cpu.end();
        return y[1];
    }

    @Benchmark
    public float gemvInt4(CpuTime cpu) {
        BlockQuantizedMatrix m = q4[next++ % q4.length];
        cpu.begin();
        k.gemvQ(m, x, 0, y, 0);
        cpu.end();
        return y[1];
    }
}
