package dev.quant4j.nativekernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.kernels.BlockQuantizedMatrix;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.KernelsFactory;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Weight-only GEMM Y = X·Wᵀ against the scalar oracle (float64 sums), per-row tolerance from Σ|w·x|. */
class NativeGemmQTest {
    private final Kernels oracle = KernelsFactory.scalar();

    static Stream<Isa> isas() { return NativeAvailability.isas().stream(); }

    private void check(Kernels nat, Random rnd, int m, int rows, int cols, int bits, int block, boolean zps) {
        BlockQuantizedMatrix w = NativeGemvQTest.random(rnd, rows, cols, bits, block, zps);
        int ldx = cols + rnd.nextInt(3), ldy = rows + rnd.nextInt(3), xOff = rnd.nextInt(3), yOff = rnd.nextInt(3);
        float[] x = new float[xOff + m * ldx];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] want = new float[yOff + m * ldy], got = new float[want.length];
        Arrays.fill(want, -7f);
        Arrays.fill(got, -7f);
        oracle.gemmQ(m, x, xOff, ldx, w, want, yOff, ldy);
        nat.gemmQ(m, x, xOff, ldx, w, got, yOff, ldy);
        for (int i = 0; i < m; i++) {
            double[] bound = NativeGemvQTest.absDot(w, x, xOff + i * ldx);
            for (int r = 0; r < rows; r++) {
                int at = yOff + i * ldy + r;
                assertEquals(want[at], got[at], 2e-6 * bound[r] * Math.max(1, Math.log(cols)) + 1e-30,
                        nat.name() + " m=" + m + " " + rows + "×" + cols + " bits=" + bits + " block=" + block + " at " + i + "," + r);
            }
        }
        // nothing outside Y's rows×cols window is written
        for (int i = 0; i < want.length; i++) {
            int rel = i - yOff;
            boolean inside = rel >= 0 && rel / ldy < m && rel % ldy < rows;
            if (!inside) assertEquals(-7f, got[i], "wrote outside Y at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("isas")
    void randomShapesWithTailsMatchTheOracle(Isa isa) {
        Kernels nat = new NativeKernels(isa, 1, oracle);
        Random rnd = new Random(17 + isa.ordinal());
        int[] blocks = {16, 32, 64, 128};
        for (int t = 0; t < 40; t++)
            check(nat, rnd, 1 + rnd.nextInt(11), 1 + rnd.nextInt(13), 1 + rnd.nextInt(200), t % 2 == 0 ? 4 : 8,
                    blocks[rnd.nextInt(blocks.length)], rnd.nextBoolean());
    }

    @ParameterizedTest
    @MethodSource("isas")
    void twoThreadsSplitWeightRows(Isa isa) {
        check(new NativeKernels(isa, 2, oracle), new Random(3), 9, 301, 1000, 4, 32, true);
        // more than one chunk of X rows (64) and more than one k block (1024)
        check(new NativeKernels(isa, 2, oracle), new Random(4), 70, 33, 2100, 4, 64, false);
        check(new NativeKernels(isa, 1, oracle), new Random(5), 67, 5, 2500, 8, 16, true);
    }

    @Test
    void badShapesAreRejected() {
        NativeAvailability.require();
        Kernels nat = new NativeKernels(Isa.best(), 1, oracle);
        BlockQuantizedMatrix w = NativeGemvQTest.random(new Random(1), 8, 64, 4, 32, false);
        assertThrows(IllegalArgumentException.class, () -> nat.gemmQ(2, new float[127], 0, 64, w, new float[16], 0, 8));
        assertThrows(IllegalArgumentException.class, () -> nat.gemmQ(2, new float[128], 0, 63, w, new float[16], 0, 8));
        assertThrows(IllegalArgumentException.class, () -> nat.gemmQ(2, new float[128], 0, 64, w, new float[15], 0, 8));
        assertThrows(IllegalArgumentException.class, () -> nat.gemmQ(-1, new float[128], 0, 64, w, new float[16], 0, 8));
    }
}
