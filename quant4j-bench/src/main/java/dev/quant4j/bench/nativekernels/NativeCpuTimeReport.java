package dev.quant4j.bench.nativekernels;

import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.PackedF32;
import dev.quant4j.kernels.PackedI8;
import dev.quant4j.nativekernels.Isa;
import dev.quant4j.nativekernels.NativeCeilings;
import dev.quant4j.nativekernels.NativeProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * The single-thread comparisons of {@link NativeBenchReport} timed by the thread's CPU time
 * instead of the wall clock, for a machine shared with other work (where wall-clock time mostly
 * measures the wait for a core). Each kernel is warmed up, then run {@code reps} times; the table
 * gives the best and the median rate. One JVM, kernels interleaved round by round so that
 * changes in the machine's load fall on all of them alike.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp quant4j-bench/target/benchmarks.jar dev.quant4j.bench.nativekernels.NativeCpuTimeReport [reps]
 * </pre>
 */
public final class NativeCpuTimeReport {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private record Case(String name, double ops, Runnable run) {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Kernels nat = new NativeProvider().create(1), java = KernelsFactory.provider("panama").create(1);
        Isa isa = Isa.best();
        NativeCeilings.Kind dot = NativeCeilings.intDotFor(isa);
        Random r = new Random(1);
        Arena arena = Arena.ofShared();
        int n = 1024;
        byte[] a8 = new byte[n * n], b8 = new byte[n * n];
        r.nextBytes(a8);
        r.nextBytes(b8);
        PackedI8 p8 = nat.packI8(n, n, MemorySegment.ofArray(b8), 0, n, false, new int[] {3});
        PackedI8 p8j = java.packI8(n, n, MemorySegment.ofArray(b8), 0, n, false, new int[] {3});
        int[] out = new int[n * n];
        float[] a = new float[n * n], c = new float[n * n];
        MemorySegment wb = arena.allocate((long) n * n * 4, 64);
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat(); wb.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat()); }
        PackedF32 pf = java.packF32(n, n, wb, 0, n, false);
        int g = 4096;
        MemorySegment w32 = arena.allocate((long) g * g * 4, 64);
        for (long i = 0; i < (long) g * g; i++) w32.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat());
        MemorySegment d4 = arena.allocate((long) g * g / 2, 64);
        for (long i = 0; i < d4.byteSize(); i++) d4.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        float[] scales = new float[g * g / 32];
        byte[] zps = new byte[scales.length];
        for (int i = 0; i < scales.length; i++) { scales[i] = 0.01f; zps[i] = (byte) r.nextInt(16); }
        BlockQuantizedMatrix w4 = new BlockQuantizedMatrix(g, g, 4, 32, d4, scales, zps);
        float[] x = new float[g], y = new float[g];
        for (int i = 0; i < g; i++) x[i] = (float) r.nextGaussian();
        long dotOps = NativeCeilings.run(dot, 1) * (1 << 18), fmaOps = NativeCeilings.run(NativeCeilings.Kind.FMA_256, 1) * (1 << 18);
        Case[] cases = {
            new Case("ceiling " + dot.label(), dotOps, () -> NativeCeilings.run(dot, 1 << 18)),
            new Case("ceiling vfmadd ymm fp32", fmaOps, () -> NativeCeilings.run(NativeCeilings.Kind.FMA_256, 1 << 18)),
            new Case("int8 GEMM 1024³ native", 2.0 * n * n * n, () -> nat.gemmI8(n, a8, 0, n, true, 128, p8, new Epilogue.ToInt32(out, 0, n))),
            new Case("int8 GEMM 1024³ Java", 2.0 * n * n * n, () -> java.gemmI8(n, a8, 0, n, true, 128, p8j, new Epilogue.ToInt32(out, 0, n))),
            new Case("fp32 GEMM 1024³ Java", 2.0 * n * n * n, () -> java.sgemm(n, a, 0, n, pf, c, 0, n, false)),
            new Case("INT4 GEMV 4096² native", 2.0 * g * g, () -> nat.gemvQ(w4, x, 0, y, 0)),
            new Case("INT4 GEMV 4096² Java", 2.0 * g * g, () -> java.gemvQ(w4, x, 0, y, 0)),
            new Case("fp32 GEMV 4096² Java", 2.0 * g * g, () -> java.sgemv(g, g, w32, 0, g, x, 0, y, 0)),
        };
        for (Case k : cases) for (int i = 0; i < 5; i++) k.run().run(); // warm-up: compiled code, caches, pages
        double[][] rates = new double[cases.length][reps];
        for (int rep = 0; rep < reps; rep++)
            for (int i = 0; i < cases.length; i++) {
                long t0 = MX.getCurrentThreadCpuTime();
                cases[i].run().run();
                rates[i][rep] = cases[i].ops() / ((MX.getCurrentThreadCpuTime() - t0) * 1e-9);
            }
        System.out.println("| kernel (1 thread, thread CPU time) | best G(FL)OP/s | median |");
        System.out.println("|---|---|---|");
        for (int i = 0; i < cases.length; i++) {
            Arrays.sort(rates[i]);
            System.out.printf("| %s | %.1f | %.1f |%n", cases[i].name(), rates[i][reps - 1] / 1e9, rates[i][reps / 2] / 1e9);
        }
        arena.close();
    }
}
