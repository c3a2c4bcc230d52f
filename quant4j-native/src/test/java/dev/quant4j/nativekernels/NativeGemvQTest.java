package dev.quant4j.nativekernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import dev.quant4j.kernels.KernelsProvider;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weight-only GEMV (INT4/INT8 blocks, fp32 activations) against the scalar oracle, which sums in
 * float64: the native result may differ by float32 summation order only, so the tolerance scales
 * with the sum of |w·x| of each row.
 */
class NativeGemvQTest {
    private final Kernels oracle = KernelsFactory.scalar();

    static Stream<Isa> isas() { return NativeAvailability.isas().stream(); }

    static BlockQuantizedMatrix random(Random rnd, int rows, int cols, int bits, int block, boolean zps) {
        int bpr = (cols + block - 1) / block;
        byte[] data = new byte[rows * bpr * block * bits / 8];
        rnd.nextBytes(data);
        float[] scales = new float[rows * bpr];
        for (int i = 0; i < scales.length; i++) scales[i] = 0.001f + rnd.nextFloat() * 0.05f;
        byte[] z = null;
        if (zps) {
            z = new byte[rows * bpr];
            for (int i = 0; i < z.length; i++) z[i] = (byte) rnd.nextInt(1 << bits);
        }
        return new BlockQuantizedMatrix(rows, cols, bits, block, MemorySegment.ofArray(data), scales, z);
    }

    /** Σ_c |w[r][c]·x[c]| per row, from the format's definition. */
    static double[] absDot(BlockQuantizedMatrix w, float[] x, int xOff) {
        double[] s = new double[w.rows()];
        for (int r = 0; r < w.rows(); r++)
            for (int c = 0; c < w.cols(); c++) {
                int blk = r * w.blocksPerRow() + c / w.blockSize();
                long at = r * w.bytesPerRow() + (w.bits() == 8 ? c : c >> 1);
                int v = w.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) & 0xFF;
                int code = w.bits() == 8 ? v : (c & 1) == 0 ? v & 15 : v >>> 4;
                int zp = w.zeroPoints() == null ? w.defaultZeroPoint() : w.zeroPoints()[blk] & 0xFF;
                s[r] += Math.abs((double) (code - zp) * w.scales()[blk] * x[xOff + c]);
            }
        return s;
    }

    private void check(Kernels nat, Random rnd, int rows, int cols, int bits, int block, boolean zps) {
        BlockQuantizedMatrix w = random(rnd, rows, cols, bits, block, zps);
        int xOff = rnd.nextInt(3), yOff = rnd.nextInt(3);
        float[] x = new float[xOff + cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] want = new float[yOff + rows], got = new float[yOff + rows];
        java.util.Arrays.fill(got, Float.NaN);
        java.util.Arrays.fill(want, Float.NaN);
        oracle.gemvQ(w, x, xOff, want, yOff);
        nat.gemvQ(w, x, xOff, got, yOff);
        double[] bound = absDot(w, x, xOff);
        for (int r = 0; r < rows; r++) {
            double tol = 2e-6 * bound[r] * Math.max(1, Math.log(cols)) + 1e-30;
            assertEquals(want[yOff + r], got[yOff + r], tol,
                    nat.name() + " bits=" + bits + " block=" + block + " " + rows + "×" + cols + " zps=" + zps + " row " + r);
        }
        for (int i = 0; i < yOff; i++) assertTrue(Float.isNaN(got[i]), "wrote before y");
    }

    @ParameterizedTest
    @MethodSource("isas")
    void int4AndInt8BlocksWithTailsMatchTheOracle(Isa isa) {
        Kernels nat = new NativeKernels(isa, 1, oracle);
        Random rnd = new Random(5 + isa.ordinal());
        int[] blocks = {16, 32, 64, 128};
        for (int t = 0; t < 60; t++) {
            int block = blocks[rnd.nextInt(blocks.length)];
            check(nat, rnd, 1 + rnd.nextInt(9), 1 + rnd.nextInt(300), t % 2 == 0 ? 4 : 8, block, rnd.nextBoolean());
        }
    }

    @ParameterizedTest
    @MethodSource("isas")
    void twoThreadsSplitRows(Isa isa) {
        Kernels nat = new NativeKernels(isa, 2, oracle);
        Random rnd = new Random(11);
        check(nat, rnd, 1031, 2080, 4, 32, true);
        check(nat, rnd, 1031, 2080, 8, 64, false);
    }

    @Test
    void badVectorsAreRejected() {
        NativeAvailability.require();
        Kernels nat = new NativeKernels(Isa.best(), 1, oracle);
        BlockQuantizedMatrix w = random(new Random(1), 8, 64, 4, 32, false);
        assertThrows(IllegalArgumentException.class, () -> nat.gemvQ(w, new float[63], 0, new float[8], 0));
        assertThrows(IllegalArgumentException.class, () -> nat.gemvQ(w, new float[64], 1, new float[8], 0));
        assertThrows(IllegalArgumentException.class, () -> nat.gemvQ(w, new float[64], 0, new float[8], 1));
        assertThrows(IllegalArgumentException.class, () -> nat.gemvQ(null, new float[64], 0, new float[8], 0));
    }

    @Test
    void providerIsRegisteredAndServesTheRestThroughJava() {
        NativeAvailability.require();
        KernelsProvider p = KernelsFactory.providers().stream().filter(q -> q.name().equals("native")).findFirst().orElseThrow();
        assertTrue(p.available(), p.unavailableReason());
        Kernels k = p.create(1);
        float[] c = new float[4];
        k.sgemm(2, 2, 1, new float[] {1, 2}, 0, 1, new float[] {3, 4}, 0, 2, c, 0, 2, false);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {3, 4, 6, 8}, c);
    }
}
