package dev.quant4j.nativekernels;

import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.KernelArgs;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedF32;
import dev.quant4j.kernels.PackedI8;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kernels whose integer GEMM and weight-only GEMV run in libquant4j.so; every other function is
 * served by a Java provider (the best available one that is not this), which is logged once per
 * function. Every argument is checked here, before the downcall: the C code trusts its inputs.
 */
public final class NativeKernels implements Kernels {
    /** Below this many multiply-adds a call runs on one thread: splitting costs more than it saves. */
    private static final long PARALLEL_MIN_MACS = 1L << 21;
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final NativeLibrary lib;
    private final Isa isa;
    private final int threads;
    private final int panelWidth;
    private final Kernels java;

    /**
     * @param isa     the instruction-set level to run (one this CPU {@linkplain Isa#supported() supports})
     * @param threads threads per call
     * @param java    the provider serving the functions the native library does not implement
     */
    public NativeKernels(Isa isa, int threads, Kernels java) {
        this.lib = NativeLibrary.get();
        if (lib == null) throw new IllegalStateException("native kernels unavailable: " + NativeLibrary.failure());
        if (!isa.supported())
            throw new IllegalArgumentException("ISA " + isa.label() + " is not supported by this CPU (best: " + Isa.best().label() + ")");
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        this.isa = isa;
        this.threads = threads;
        this.java = java;
        this.panelWidth = lib.panelWidth(isa.ordinal());
    }

    public Isa isa() { return isa; }

    @Override public String name() { return "native(" + isa.label() + "; others: " + java.name() + ")"; }

    @Override public int threads() { return threads; }

    private Kernels delegate(String function) {
        served(function, java.name());
        return java;
    }

    /** Logs once per function (and implementation) which implementation serves it. */
    private static void served(String function, String by) {
        if (LOGGED.add(function + " " + by))
            System.getLogger("dev.quant4j.kernels").log(System.Logger.Level.INFO,
                    "quant4j native kernels: " + function + " is served by " + by);
    }

    private void servedNatively(String function) { served(function, "libquant4j (" + isa.label() + ")"); }

    // ---------------------------------------------------------------- served by the Java provider

    @Override
    public void sgemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        delegate("sgemm").sgemm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public PackedF32 packF32(int k, int n, MemorySegment b, long bOffElems, int ldb, boolean transposed) {
        return delegate("sgemm").packF32(k, n, b, bOffElems, ldb, transposed);
    }

    @Override
    public void sgemm(int m, float[] a, int aOff, int lda, PackedF32 b, float[] c, int cOff, int ldc, boolean accumulate) {
        delegate("sgemm").sgemm(m, a, aOff, lda, b, c, cOff, ldc, accumulate);
    }

    @Override
    public void sgemv(int n, int k, MemorySegment w, long wOffElems, int ldw, float[] x, int xOff, float[] y, int yOff) {
        delegate("sgemv").sgemv(n, k, w, wOffElems, ldw, x, xOff, y, yOff);
    }

    @Override public void f16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count) {
        delegate("f16ToF32").f16ToF32(src, srcOff, dst, dstOff, count);
    }

    @Override public void f32ToF16(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        delegate("f32ToF16").f32ToF16(src, srcOff, dst, dstOff, count);
    }

    @Override public void bf16ToF32(short[] src, int srcOff, float[] dst, int dstOff, int count) {
        delegate("bf16ToF32").bf16ToF32(src, srcOff, dst, dstOff, count);
    }

    @Override public void f32ToBf16(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        delegate("f32ToBf16").f32ToBf16(src, srcOff, dst, dstOff, count);
    }

    // ---------------------------------------------------------------- int8 GEMM

    @Override
    public PackedI8 packI8(int k, int n, MemorySegment b, long bOffBytes, int ldb, boolean transposed, int[] zeroPoints) {
        KernelArgs.positive("k", k);
        KernelArgs.positive("n", n);
        KernelArgs.matrix("B", transposed ? n : k, transposed ? k : n, bOffBytes, ldb, b, 1);
        int[] z = KernelArgs.weightZeroPoints(zeroPoints, n);
        servedNatively("gemmI8");
        try {
            long size = (long) lib.i8PackedSize.invokeExact(isa.ordinal(), k, n);
            MemorySegment packed = Arena.ofAuto().allocate(size, 64);
            lib.i8Pack.invokeExact(isa.ordinal(), k, n, b.asSlice(bOffBytes), (long) ldb, transposed ? 1 : 0,
                    MemorySegment.ofArray(z), n, packed);
            return new NativePackedI8(k, n, isa, packed);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    @Override
    public void gemmI8(int m, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint, PackedI8 b, Epilogue epilogue) {
        if (!(b instanceof NativePackedI8 p) || p.isa() != isa)
            throw new IllegalArgumentException("B was not packed by native kernels for " + isa.label() + ": " + b);
        int k = p.k(), n = p.n();
        KernelArgs.gemmI8(m, k, n, a, aOff, lda, aUnsigned, aZeroPoint, epilogue);
        if (m == 0) return;
        EpilogueArgs e = EpilogueArgs.of(epilogue);
        int parts = (long) m * n * k < PARALLEL_MIN_MACS ? 1 : threads;
        // Column panels share A and split B; with too few panels for the threads, split rows instead.
        boolean byColumns = parts == 1 || n >= 2 * parts * panelWidth;
        int[] cols = byColumns ? Parallel.split(n, parts, panelWidth) : new int[] {0, n};
        int[] rows = byColumns ? new int[] {0, m} : Parallel.split(m, parts, 1);
        Parallel.run(Math.max(cols.length, rows.length) - 1, part -> {
            int c0 = byColumns ? cols[part] : 0, c1 = byColumns ? cols[part + 1] : n;
            int i0 = byColumns ? 0 : rows[part], i1 = byColumns ? m : rows[part + 1];
            MemorySegment aSeg = MemorySegment.ofArray(a).asSlice(aOff + (long) i0 * lda);
            EpilogueArgs ep = i0 == 0 ? e : e.fromRow(i0);
            int rc;
            try {
                rc = (int) lib.i8Gemm.invokeExact(isa.ordinal(), i1 - i0, k, c0, c1,
                        aSeg, (long) lda, aUnsigned ? 1 : 0, aZeroPoint, p.data(),
                        ep.kind(), ep.out(), ep.ldc(), ep.scale(), ep.scaleCount(), ep.bias(), ep.outZeroPoint(), ep.qmin(), ep.qmax());
            } catch (Throwable t) {
                throw NativeLibrary.rethrow(t);
            }
            if (rc != 0) throw new IllegalStateException("q4j_i8_gemm failed with code " + rc);
        });
    }

    // ---------------------------------------------------------------- weight-only

    @Override
    public void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff) {
        if (w == null) throw new IllegalArgumentException("weight matrix is null");
        if (x == null || y == null) throw new IllegalArgumentException("x or y is null");
        KernelArgs.vector("x", w.cols(), xOff, x.length);
        KernelArgs.vector("y", w.rows(), yOff, y.length);
        servedNatively("gemvQ");
        MemorySegment data = w.data(), scales = MemorySegment.ofArray(w.scales());
        MemorySegment zps = w.zeroPoints() == null ? MemorySegment.NULL : MemorySegment.ofArray(w.zeroPoints());
        MemorySegment xs = MemorySegment.ofArray(x).asSlice(xOff * 4L), ys = MemorySegment.ofArray(y).asSlice(yOff * 4L);
        int parts = (long) w.rows() * w.cols() < PARALLEL_MIN_MACS ? 1 : threads;
        int[] rows = Parallel.split(w.rows(), parts, 2);
        Parallel.run(rows.length - 1, part -> {
            int rc;
            try {
                rc = (int) lib.gemvQ.invokeExact(isa.ordinal(), w.rows(), w.cols(), w.bits(), w.blockSize(),
                        data, scales, zps, xs, ys, rows[part], rows[part + 1]);
            } catch (Throwable t) {
                throw NativeLibrary.rethrow(t);
            }
            if (rc != 0) throw new IllegalStateException("q4j_gemvq failed with code " + rc);
        });
    }

    @Override
    public void gemmQ(int m, float[] x, int xOff, int ldx, BlockQuantizedMatrix w, float[] y, int yOff, int ldy) {
        if (w == null) throw new IllegalArgumentException("weight matrix is null");
        KernelArgs.nonNegative("m", m);
        KernelArgs.matrix("X", m, w.cols(), xOff, ldx, x);
        KernelArgs.matrix("Y", m, w.rows(), yOff, ldy, y);
        if (m == 0) return;
        servedNatively("gemmQ");
        MemorySegment data = w.data(), scales = MemorySegment.ofArray(w.scales());
        MemorySegment zps = w.zeroPoints() == null ? MemorySegment.NULL : MemorySegment.ofArray(w.zeroPoints());
        MemorySegment xs = MemorySegment.ofArray(x).asSlice(xOff * 4L), ys = MemorySegment.ofArray(y).asSlice(yOff * 4L);
        int parts = (long) m * w.rows() * w.cols() < PARALLEL_MIN_MACS ? 1 : threads;
        int[] rows = Parallel.split(w.rows(), parts, 2);
        Parallel.run(rows.length - 1, part -> {
            int rc;
            try {
                rc = (int) lib.gemmQ.invokeExact(isa.ordinal(), m, w.rows(), w.cols(), w.bits(), w.blockSize(),
                        data, scales, zps, xs, (long) ldx, ys, (long) ldy, rows[part], rows[part + 1]);
            } catch (Throwable t) {
                throw NativeLibrary.rethrow(t);
            }
            if (rc != 0) throw new IllegalStateException("q4j_gemmq failed with code " + rc);
        });
    }
}
