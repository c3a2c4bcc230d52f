package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;

/** int8 GEMM of the Vector API provider (both strategies) against the scalar oracle: exact equality. */
class PanamaIntegerTest {
    static final Kernels SCALAR = new ScalarKernels();
    static final Kernels[] PANAMA = {new PanamaKernels(1, false), new PanamaKernels(2, false), new PanamaKernels(3, false),
            new PanamaKernels(1, true), new PanamaKernels(2, true)};
    static final Arena ARENA = Arena.ofShared();

    @AfterContainer
    static void close() { ARENA.close(); }

    record Case(int m, int n, int k, byte[] a, int aOff, int lda, boolean unsigned, int za, byte[] b, int bOff, int ldb,
                boolean transposed, int[] zb) {}

    static Case randomCase(Random r, int m, int n, int k, boolean unsigned, boolean perColumn, boolean transposed) {
        int pad = r.nextInt(3), lda = k + pad, aOff = r.nextInt(3);
        int bRows = transposed ? n : k, ldb = (transposed ? k : n) + pad, bOff = r.nextInt(3);
        int za = unsigned ? r.nextInt(256) : r.nextInt(256) - 128;
        int[] zb = new int[perColumn ? n : 1];
        for (int j = 0; j < zb.length; j++) zb[j] = r.nextInt(256) - 128;
        return new Case(m, n, k, Operands.bytes(r, aOff + m * lda), aOff, lda, unsigned, za,
                Operands.bytes(r, bOff + bRows * ldb), bOff, ldb, transposed, zb);
    }

    static int[] run(Kernels kern, Case c, boolean offHeap) {
        MemorySegment seg = Operands.segment(c.b, offHeap, ARENA);
        PackedI8 p = kern.packI8(c.k, c.n, seg, c.bOff, c.ldb, c.transposed, c.zb);
        int ldc = c.n + 1;
        int[] out = new int[2 + c.m * ldc];
        Arrays.fill(out, 0x5EED);
        kern.gemmI8(c.m, c.a, c.aOff, c.lda, c.unsigned, c.za, p, new Epilogue.ToInt32(out, 2, ldc));
        return out;
    }

    @Property(tries = 40)
    void int32MatchesScalarExactly(@ForAll @IntRange(min = 0, max = 30) int m, @ForAll @IntRange(min = 1, max = 140) int n,
                                   @ForAll @IntRange(min = 1, max = 400) int k, @ForAll boolean unsigned,
                                   @ForAll boolean perColumn, @ForAll boolean transposed, @ForAll boolean offHeap,
                                   @ForAll long seed) {
        Case c = randomCase(new Random(seed), m, n, k, unsigned, perColumn, transposed);
        int[] expect = run(SCALAR, c, offHeap);
        for (Kernels p : PANAMA) assertArrayEquals(expect, run(p, c, offHeap), p.name() + " threads=" + p.threads());
    }

    @Property(tries = 25)
    void epiloguesMatchScalarExactly(@ForAll @IntRange(min = 1, max = 20) int m, @ForAll @IntRange(min = 1, max = 90) int n,
                                     @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean unsigned,
                                     @ForAll boolean withBias, @ForAll boolean unsignedOut, @ForAll long seed) {
        Random r = new Random(seed);
        Case c = randomCase(r, m, n, k, unsigned, r.nextBoolean(), r.nextBoolean());
        float[] scale = new float[r.nextBoolean() ? 1 : n];
        for (int j = 0; j < scale.length; j++) scale[j] = (float) Math.scalb(r.nextDouble() + 0.5, -14 - r.nextInt(4));
        float[] fbias = null;
        int[] ibias = null;
        if (withBias) {
            fbias = Operands.floats(r, n);
            ibias = new int[n];
            for (int j = 0; j < n; j++) ibias[j] = r.nextInt(200_001) - 100_000;
        }
        int zp = unsignedOut ? r.nextInt(256) : r.nextInt(256) - 128;
        int qmin = unsignedOut ? 0 : -128, qmax = unsignedOut ? 255 : 127;
        if (r.nextBoolean()) qmin = zp; // a fused Relu
        for (Kernels kern : new Kernels[] {PANAMA[0], PANAMA[2], PANAMA[3]}) {
            float[] fe = new float[m * n], fg = new float[m * n];
            byte[] qe = new byte[m * n], qg = new byte[m * n];
            PackedI8 ps = SCALAR.packI8(k, n, MemorySegment.ofArray(c.b), c.bOff, c.ldb, c.transposed, c.zb);
            PackedI8 pp = kern.packI8(k, n, MemorySegment.ofArray(c.b), c.bOff, c.ldb, c.transposed, c.zb);
            SCALAR.gemmI8(m, c.a, c.aOff, c.lda, unsigned, c.za, ps, new Epilogue.ToFloat(fe, 0, n, scale, fbias));
            kern.gemmI8(m, c.a, c.aOff, c.lda, unsigned, c.za, pp, new Epilogue.ToFloat(fg, 0, n, scale, fbias));
            assertArrayEquals(fe, fg);
            SCALAR.gemmI8(m, c.a, c.aOff, c.lda, unsigned, c.za, ps, new Epilogue.ToInt8(qe, 0, n, ibias, scale, zp, qmin, qmax));
            kern.gemmI8(m, c.a, c.aOff, c.lda, unsigned, c.za, pp, new Epilogue.ToInt8(qg, 0, n, ibias, scale, zp, qmin, qmax));
            assertArrayEquals(qe, qg);
        }
    }

    /** The worst case for the exact-float strategy: every product ±255·255 over many k blocks. */
    @Test
    void extremeProductsStayExact() {
        int m = 5, n = 70, k = 1000;
        byte[] a = new byte[m * k], b = new byte[k * n];
        Arrays.fill(a, (byte) 255);
        Arrays.fill(b, (byte) -128);
        b[7] = 127;
        Case c = new Case(m, n, k, a, 0, k, true, 0, b, 0, n, false, new int[] {127});
        int[] expect = run(SCALAR, c, false);
        assertEquals(255 * -255 * k, expect[2 + 1]);
        for (Kernels p : PANAMA) assertArrayEquals(expect, run(p, c, false));
    }

    @Test
    void wrongProviderOrShapeThrows() {
        PackedI8 scalarPacked = SCALAR.packI8(2, 2, MemorySegment.ofArray(new byte[4]), 0, 2, false, new int[] {0});
        Epilogue out = new Epilogue.ToInt32(new int[4], 0, 2);
        assertThrows(IllegalArgumentException.class, () -> PANAMA[0].gemmI8(2, new byte[4], 0, 2, true, 0, scalarPacked, out));
        PackedI8 p = PANAMA[0].packI8(2, 2, MemorySegment.ofArray(new byte[4]), 0, 2, false, new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> PANAMA[0].gemmI8(2, new byte[3], 0, 2, true, 0, p, out));
        assertThrows(IllegalArgumentException.class, () -> PANAMA[0].gemmI8(2, new byte[4], 0, 2, true, 256, p, out));
        assertThrows(IllegalArgumentException.class,
                () -> PANAMA[0].gemmI8(2, new byte[4], 0, 2, true, 0, p, new Epilogue.ToInt32(new int[3], 0, 2)));
        assertThrows(IllegalArgumentException.class, () -> PANAMA[0].gemmI8(2, new byte[4], 0, 2, true, 0, p,
                new Epilogue.ToFloat(new float[4], 0, 2, new float[3], null)));
        assertThrows(IllegalArgumentException.class,
                () -> PANAMA[0].packI8(2, 2, MemorySegment.ofArray(new byte[4]), 0, 2, false, new int[] {200}));
    }
}
