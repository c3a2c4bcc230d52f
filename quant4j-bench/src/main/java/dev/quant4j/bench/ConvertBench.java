package dev.quant4j.bench;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** fp16/bf16 ↔ fp32 bulk conversion of 1 Mi elements (L2-missing, like converting a weight tensor). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class ConvertBench {
    @Param({"1048576"}) public int count;
    @Param({"panama", "scalar"}) public String provider;

    Kernels k;
    float[] f;
    short[] h;

    @Setup
    public void setUp() {
        k = KernelsFactory.provider(provider).create(1);
        Random r = new Random(3);
        f = new float[count];
        h = new short[count];
        for (int i = 0; i < count; i++) f[i] = (float) r.nextGaussian() * 100;
        k.f32ToF16(f, 0, h, 0, count);
    }

    @Benchmark public float f16ToF32() { k.f16ToF32(h, 0, f, 0, count); return f[7]; }
    @Benchmark public short f32ToF16() { k.f32ToF16(f, 0, h, 0, count); return h[7]; }
    @Benchmark public float bf16ToF32() { k.bf16ToF32(h, 0, f, 0, count); return f[7]; }
    @Benchmark public short f32ToBf16() { k.f32ToBf16(f, 0, h, 0, count); return h[7]; }
}
