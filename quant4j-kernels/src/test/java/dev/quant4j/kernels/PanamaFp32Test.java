package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/** fp32 GEMM and GEMV of the Vector API provider against the scalar oracle. */
class PanamaFp32Test {
    static final Kernels SCALAR = new ScalarKernels();
    static final Kernels P1 = new PanamaKernels(1), P2 = new PanamaKernels(2), P3 = new PanamaKernels(3);
    static final Arena ARENA = Arena.ofShared();

    @AfterContainer
    static void close() { ARENA.close(); }

    /** Each C element must be within the float-summation bound of the oracle's once-rounded double sum. */
    static void assertClose(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean bT,
                            float[] c0, float[] expect, float[] got, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double abs = accumulate ? Math.abs(c0[cOff + i * ldc + j]) : 0;
                for (int p = 0; p < k; p++)
                    abs += Math.abs(a[aOff + i * lda + p] * b[bT ? bOff + j * ldb + p : bOff + p * ldb + j]);
                int idx = cOff + i * ldc + j;
                assertEquals(expect[idx], got[idx], Operands.tolerance(k, abs), "C[" + i + "][" + j + "] of " + m + "×" + n + "×" + k);
            }
    }

    @Property(tries = 60)
    void sgemmMatchesScalar(@ForAll @IntRange(min = 0, max = 37) int m, @ForAll @IntRange(min = 1, max = 150) int n,
                            @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(min = 0, max = 5) int pad,
                            @ForAll boolean accumulate, @ForAll long seed) {
        Random r = new Random(seed);
        int lda = k + pad, ldb = n + pad, ldc = n + 2 * pad, aOff = pad, bOff = 2 * pad, cOff = 3 * pad;
        float[] a = Operands.floats(r, aOff + m * lda), b = Operands.floats(r, bOff + k * ldb);
        float[] c0 = Operands.floats(r, cOff + m * ldc + pad);
        float[] expect = c0.clone(), got1 = c0.clone();
        SCALAR.sgemm(m, n, k, a, aOff, lda, b, bOff, ldb, expect, cOff, ldc, accumulate);
        P1.sgemm(m, n, k, a, aOff, lda, b, bOff, ldb, got1, cOff, ldc, accumulate);
        assertClose(m, n, k, a, aOff, lda, b, bOff, ldb, false, c0, expect, got1, cOff, ldc, accumulate);
        for (int i = 0; i < cOff; i++) assertEquals(c0[i], got1[i], "C before the offset was touched");
        for (Kernels p : new Kernels[] {P2, P3}) {
            float[] got = c0.clone();
            p.sgemm(m, n, k, a, aOff, lda, b, bOff, ldb, got, cOff, ldc, accumulate);
            assertArrayEquals(got1, got, p.threads() + " threads differ from 1");
        }
    }

    @Property(tries = 40)
    void packedSgemmMatchesScalar(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 140) int n,
                                  @ForAll @IntRange(min = 1, max = 270) int k, @ForAll boolean transposed,
                                  @ForAll boolean offHeap, @ForAll boolean accumulate, @ForAll long seed) {
        Random r = new Random(seed);
        int pad = r.nextInt(4), bRows = transposed ? n : k, bCols = transposed ? k : n, ldb = bCols + pad, bOff = pad;
        float[] a = Operands.floats(r, m * k), b = Operands.floats(r, bOff + bRows * ldb);
        MemorySegment seg = Operands.segment(b, offHeap, ARENA);
        float[] c0 = Operands.floats(r, m * n);
        float[] expect = c0.clone(), got = c0.clone(), got3 = c0.clone();
        SCALAR.sgemm(m, a, 0, k, SCALAR.packF32(k, n, seg, bOff, ldb, transposed), expect, 0, n, accumulate);
        P1.sgemm(m, a, 0, k, P1.packF32(k, n, seg, bOff, ldb, transposed), got, 0, n, accumulate);
        assertClose(m, n, k, a, 0, k, b, bOff, ldb, transposed, c0, expect, got, 0, n, accumulate);
        P3.sgemm(m, a, 0, k, P3.packF32(k, n, seg, bOff, ldb, transposed), got3, 0, n, accumulate);
        assertArrayEquals(got, got3);
    }

    @Property(tries = 40)
    void sgemvMatchesScalar(@ForAll @IntRange(min = 1, max = 90) int n, @ForAll @IntRange(min = 1, max = 700) int k,
                            @ForAll boolean offHeap, @ForAll long seed) {
        Random r = new Random(seed);
        int ldw = k + r.nextInt(3), wOff = r.nextInt(3), xOff = r.nextInt(3), yOff = r.nextInt(3);
        float[] w = Operands.floats(r, wOff + n * ldw), x = Operands.floats(r, xOff + k);
        MemorySegment seg = Operands.segment(w, offHeap, ARENA);
        float[] expect = new float[yOff + n], got = new float[yOff + n], got2 = new float[yOff + n];
        SCALAR.sgemv(n, k, seg, wOff, ldw, x, xOff, expect, yOff);
        P1.sgemv(n, k, seg, wOff, ldw, x, xOff, got, yOff);
        P2.sgemv(n, k, seg, wOff, ldw, x, xOff, got2, yOff);
        for (int i = 0; i < n; i++) {
            double abs = 0;
            for (int p = 0; p < k; p++) abs += Math.abs(w[wOff + i * ldw + p] * x[xOff + p]);
            assertEquals(expect[yOff + i], got[yOff + i], Operands.tolerance(k, abs));
        }
        assertArrayEquals(got, got2);
    }

    /** Shapes past one B column block (NCP micro-panels) and one k block, with a row tail, so every loop of BlockedGemm turns. */
    @Property(tries = 3)
    void sgemmAcrossColumnAndDepthBlocks(@ForAll boolean accumulate, @ForAll long seed) {
        Random r = new Random(seed);
        int m = 2 * F32Tile.MR + 1, n = BlockedGemm.NCP * F32Tile.NR + 37, k = 2 * BlockedGemm.KC + 5;
        float[] a = Operands.floats(r, m * k), b = Operands.floats(r, k * n), c0 = Operands.floats(r, m * n);
        float[] expect = c0.clone(), got = c0.clone(), got2 = c0.clone();
        SCALAR.sgemm(m, n, k, a, 0, k, b, 0, n, expect, 0, n, accumulate);
        P1.sgemm(m, n, k, a, 0, k, b, 0, n, got, 0, n, accumulate);
        assertClose(m, n, k, a, 0, k, b, 0, n, false, c0, expect, got, 0, n, accumulate);
        P2.sgemm(m, n, k, a, 0, k, b, 0, n, got2, 0, n, accumulate);
        assertArrayEquals(got, got2, "2 threads differ from 1");
    }

    @Property(tries = 3)
    void largeMultiThreadedSgemmEqualsSingleThreaded(@ForAll long seed) {
        Random r = new Random(seed);
        int m = 97, n = 300, k = 513;
        float[] a = Operands.floats(r, m * k), b = Operands.floats(r, k * n);
        float[] c1 = new float[m * n], c2 = new float[m * n], c3 = new float[m * n];
        P1.sgemm(m, n, k, a, 0, k, b, 0, n, c1, 0, n, false);
        P2.sgemm(m, n, k, a, 0, k, b, 0, n, c2, 0, n, false);
        P3.sgemm(m, n, k, a, 0, k, b, 0, n, c3, 0, n, false);
        assertArrayEquals(c1, c2);
        assertArrayEquals(c1, c3);
    }

    /** The A-panel scratch: room for the panel from its offset on, the offset inside the first 64 bytes. */
    @Property(tries = 5)
    void alignedScratchHoldsThePanel(@ForAll @IntRange(min = 1, max = 100_000) int floats) {
        AlignedFloats f = AlignedFloats.allocate(floats);
        assertTrue(f.offset() >= 0 && f.offset() < 16, "offset " + f.offset());
        assertTrue(f.data().length - f.offset() >= floats, f.data().length + " floats from " + f.offset());
        if (!AlignedFloats.aligned()) assertEquals(0, f.offset());
    }
}
