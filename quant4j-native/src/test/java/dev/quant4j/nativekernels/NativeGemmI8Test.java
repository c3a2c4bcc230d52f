package dev.quant4j.nativekernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.kernels.Epilogue;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.PackedI8;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Integer GEMM of every ISA level against the scalar oracle: results must agree bit for bit. */
class NativeGemmI8Test {
    private final Kernels oracle = KernelsFactory.scalar();

    static Stream<Isa> isas() { return NativeAvailability.isas().stream(); }

    /** One random problem: shapes with tails around every panel width, both signednesses, all epilogues. */
    private void check(Kernels nat, Random rnd, int m, int n, int k, boolean aUnsigned, boolean transposed,
                       boolean perColumnZp, int epilogueKind) {
        int lda = k + rnd.nextInt(3), ldb = (transposed ? k : n) + rnd.nextInt(3);
        int aOff = rnd.nextInt(5), bOff = rnd.nextInt(5);
        byte[] a = new byte[aOff + m * lda];
        byte[] b = new byte[bOff + (transposed ? n : k) * ldb];
        rnd.nextBytes(a);
        rnd.nextBytes(b);
        int[] zp = new int[perColumnZp ? n : 1];
        for (int j = 0; j < zp.length; j++) zp[j] = rnd.nextInt(256) - 128;
        int za = aUnsigned ? rnd.nextInt(256) : rnd.nextInt(256) - 128;
        PackedI8 pn = nat.packI8(k, n, MemorySegment.ofArray(b), bOff, ldb, transposed, zp);
        PackedI8 ps = oracle.packI8(k, n, MemorySegment.ofArray(b), bOff, ldb, transposed, zp);
        int ldc = n + rnd.nextInt(3), cOff = rnd.nextInt(4), size = cOff + m * ldc;
        String what = nat.name() + " m=" + m + " n=" + n + " k=" + k + " u8=" + aUnsigned + " T=" + transposed + " epi=" + epilogueKind;
        switch (epilogueKind) {
            case 0 -> {
                int[] want = new int[size], got = new int[size];
                oracle.gemmI8(m, a, aOff, lda, aUnsigned, za, ps, new Epilogue.ToInt32(want, cOff, ldc));
                nat.gemmI8(m, a, aOff, lda, aUnsigned, za, pn, new Epilogue.ToInt32(got, cOff, ldc));
                assertArrayEquals(want, got, what);
            }
            case 1 -> {
                float[] scale = randomFloats(rnd, rnd.nextBoolean() ? 1 : n, 1e-4f), bias = rnd.nextBoolean() ? randomFloats(rnd, n, 1f) : null;
                float[] want = new float[size], got = new float[size];
                oracle.gemmI8(m, a, aOff, lda, aUnsigned, za, ps, new Epilogue.ToFloat(want, cOff, ldc, scale, bias));
                nat.gemmI8(m, a, aOff, lda, aUnsigned, za, pn, new Epilogue.ToFloat(got, cOff, ldc, scale, bias));
                assertArrayEquals(want, got, what);
            }
            default -> {
                // outputs land on both sides of the clamp; power-of-two multipliers make exact halves
                // (round-half-even ties) common
                float[] mul = randomFloats(rnd, rnd.nextBoolean() ? 1 : n, 1f / (float) Math.sqrt(k) / 1000f);
                for (int j = 0; j < mul.length; j++)
                    if (rnd.nextBoolean()) mul[j] = (float) Math.scalb(1.0, -rnd.nextInt(6, 13));
                int[] bias = rnd.nextBoolean() ? rnd.ints(n, -100000, 100000).toArray() : null;
                boolean u8 = rnd.nextBoolean();
                int qmin = u8 ? 0 : -128, qmax = u8 ? 255 : 127;
                if (rnd.nextBoolean()) qmin = u8 ? 0 : rnd.nextInt(-128, 0); // fused Relu/Clip narrows the range
                int ozp = u8 ? rnd.nextInt(256) : rnd.nextInt(256) - 128;
                byte[] want = new byte[size], got = new byte[size];
                oracle.gemmI8(m, a, aOff, lda, aUnsigned, za, ps, new Epilogue.ToInt8(want, cOff, ldc, bias, mul, ozp, qmin, qmax));
                nat.gemmI8(m, a, aOff, lda, aUnsigned, za, pn, new Epilogue.ToInt8(got, cOff, ldc, bias, mul, ozp, qmin, qmax));
                assertArrayEquals(want, got, what);
            }
        }
    }

    static float[] randomFloats(Random rnd, int n, float scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (rnd.nextFloat() * 2 - 1) * scale;
        return f;
    }

    @ParameterizedTest
    @MethodSource("isas")
    void randomShapesAndTailsMatchTheOracle(Isa isa) {
        Kernels nat = new NativeKernels(isa, 1, oracle);
        Random rnd = new Random(42 + isa.ordinal());
        for (int t = 0; t < 150; t++) {
            int m = 1 + rnd.nextInt(19), n = 1 + rnd.nextInt(80), k = 1 + rnd.nextInt(150);
            check(nat, rnd, m, n, k, rnd.nextBoolean(), rnd.nextBoolean(), rnd.nextBoolean(), t % 3);
        }
    }

    @ParameterizedTest
    @MethodSource("isas")
    void extremeValuesAndZeroPointsAreExact(Isa isa) {
        // all-(-128) / all-255 operands with extreme zero points: the largest products vpmaddwd and
        // the signed-A offset trick ever see
        Kernels nat = new NativeKernels(isa, 1, oracle);
        for (boolean aUnsigned : new boolean[] {true, false}) {
            int m = 9, n = 33, k = 67;
            byte[] a = new byte[m * k], b = new byte[k * n];
            java.util.Arrays.fill(a, aUnsigned ? (byte) 255 : (byte) -128);
            java.util.Arrays.fill(b, (byte) -128);
            int za = aUnsigned ? 0 : 127;
            int[] zp = {127};
            int[] want = new int[m * n], got = new int[m * n];
            oracle.gemmI8(m, a, 0, k, aUnsigned, za, oracle.packI8(k, n, MemorySegment.ofArray(b), 0, n, false, zp),
                    new Epilogue.ToInt32(want, 0, n));
            nat.gemmI8(m, a, 0, k, aUnsigned, za, nat.packI8(k, n, MemorySegment.ofArray(b), 0, n, false, zp),
                    new Epilogue.ToInt32(got, 0, n));
            assertArrayEquals(want, got, isa + " u8=" + aUnsigned);
        }
    }

    @ParameterizedTest
    @MethodSource("isas")
    void twoThreadsSplitColumnsAndAgree(Isa isa) {
        Kernels nat = new NativeKernels(isa, 2, oracle);
        Random rnd = new Random(7);
        for (int epi = 0; epi < 3; epi++) check(nat, rnd, 37, 301, 257, epi != 1, epi == 2, true, epi);
        // few columns, many rows: the threads split rows instead
        for (int epi = 0; epi < 3; epi++) check(nat, rnd, 301, 21, 401, epi == 1, epi != 2, false, epi);
    }

    @Test
    void unsupportedIsaLevelsAreRefused() {
        NativeAvailability.require();
        for (Isa isa : Isa.values())
            if (!isa.supported()) assertThrows(IllegalArgumentException.class, () -> new NativeKernels(isa, 1, oracle));
        org.junit.jupiter.api.Assertions.assertTrue(Isa.best().supported());
    }

    @Test
    void badShapesAreRejectedBeforeTheNativeCall() {
        NativeAvailability.require();
        Kernels nat = new NativeKernels(Isa.best(), 1, oracle);
        byte[] b = new byte[8 * 16];
        PackedI8 p = nat.packI8(8, 16, MemorySegment.ofArray(b), 0, 16, false, new int[] {0});
        int[] out = new int[4 * 16];
        assertThrows(IllegalArgumentException.class, () -> nat.packI8(8, 16, MemorySegment.ofArray(b), 1, 16, false, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> nat.packI8(8, 16, MemorySegment.ofArray(b), 0, 15, false, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> nat.packI8(8, 16, MemorySegment.ofArray(b), 0, 16, false, new int[] {200}));
        assertThrows(IllegalArgumentException.class, () -> nat.packI8(8, 16, MemorySegment.ofArray(b), 0, 16, false, new int[3]));
        // A too short for m=4 rows of k=8
        assertThrows(IllegalArgumentException.class, () -> nat.gemmI8(4, new byte[31], 0, 8, true, 0, p, new Epilogue.ToInt32(out, 0, 16)));
        // output too short, stride below n
        assertThrows(IllegalArgumentException.class, () -> nat.gemmI8(5, new byte[40], 0, 8, true, 0, p, new Epilogue.ToInt32(out, 0, 16)));
        assertThrows(IllegalArgumentException.class, () -> nat.gemmI8(4, new byte[32], 0, 8, true, 0, p, new Epilogue.ToInt32(out, 0, 15)));
        assertThrows(IllegalArgumentException.class, () -> nat.gemmI8(4, new byte[32], 0, 8, true, 300, p, new Epilogue.ToInt32(out, 0, 16)));
        assertThrows(IllegalArgumentException.class, () -> nat.gemmI8(4, new byte[32], 0, 8, false, 0, p,
                new Epilogue.ToFloat(new float[64], 0, 16, new float[3], null)));
        // B packed by another provider, or for another ISA level
        PackedI8 foreign = oracle.packI8(8, 16, MemorySegment.ofArray(b), 0, 16, false, new int[] {0});
        assertThrows(IllegalArgumentException.class, () -> nat.gemmI8(4, new byte[32], 0, 8, true, 0, foreign, new Epilogue.ToInt32(out, 0, 16)));
        if (Isa.best() != Isa.PORTABLE) {
            Kernels portable = new NativeKernels(Isa.PORTABLE, 1, oracle);
            assertThrows(IllegalArgumentException.class, () -> portable.gemmI8(4, new byte[32], 0, 8, true, 0, p, new Epilogue.ToInt32(out, 0, 16)));
        }
    }
}
