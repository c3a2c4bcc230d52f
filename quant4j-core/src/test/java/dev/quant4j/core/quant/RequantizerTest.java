package dev.quant4j.core.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fixed-point requantization against float64 and exact integer arithmetic. */
class RequantizerTest {

    @Test
    void representationIsNormalisedAndClose() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            double m = Math.scalb(0.5 + rnd.nextDouble() / 2, rnd.nextInt(-40, 20));
            FixedPointMultiplier f = FixedPointMultiplier.of(m);
            assertTrue(f.multiplier() >= (1 << 30), "normalised");
            assertEquals(m, f.value(), m * 0x1p-31, "within half a Q31 unit");
        }
        assertEquals(new FixedPointMultiplier(1 << 30, 0), FixedPointMultiplier.of(0.5));
        assertEquals(new FixedPointMultiplier(1 << 30, 1), FixedPointMultiplier.of(1.0));
        assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.of(-0.1));
        assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.of(Double.NaN));
    }

    @Test
    void primitivesRoundAsDocumented() {
        // doubling high multiply of x by 2^30 (= 0.5 in Q31) is x/2 rounded, ties toward +inf
        assertEquals(2, FixedPointMultiplier.roundingDoublingHighMul(3, 1 << 30));
        assertEquals(-1, FixedPointMultiplier.roundingDoublingHighMul(-3, 1 << 30));
        assertEquals(Integer.MAX_VALUE, FixedPointMultiplier.roundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        // rounding right shift: ties away from zero
        assertEquals(2, FixedPointMultiplier.roundingRightShift(6, 2));   // 1.5 -> 2
        assertEquals(-2, FixedPointMultiplier.roundingRightShift(-6, 2)); // -1.5 -> -2
        assertEquals(1, FixedPointMultiplier.roundingRightShift(5, 2));   // 1.25 -> 1
    }

    /** Exact round-half-up of x * multiplier / 2^(31 - shift), by BigInteger. */
    static long exactHalfUp(int x, FixedPointMultiplier f) {
        BigInteger p = BigInteger.valueOf((long) x * f.multiplier());
        int total = 31 - f.shift();
        return p.add(BigInteger.ONE.shiftLeft(total - 1)).shiftRight(total).longValueExact();
    }

    @Test
    void withinOneOfFloat64RoundingAndMostlyExact() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 400_000, gemmExact = 0, singleExact = 0;
        for (int i = 0; i < n; i++) {
            // M log-uniform in [2^-16, 2^4): both below and above 1.
            double m = Math.scalb(0.5 + rnd.nextDouble() / 2, rnd.nextInt(-15, 5));
            FixedPointMultiplier f = FixedPointMultiplier.of(m);
            int acc = rnd.nextInt(-(1 << 20), 1 << 20);
            double want = Math.rint(acc * m);
            int g = f.apply(acc), s = f.applySingleRounding(acc);
            assertTrue(Math.abs(g - want) <= 1, () -> "gemmlowp acc=" + acc + " M=" + m + " got " + g + " want " + want);
            assertTrue(Math.abs(s - want) <= 1, () -> "single acc=" + acc + " M=" + m + " got " + s + " want " + want);
            assertEquals(exactHalfUp(acc, f), s, "single rounding is exact half-up of the fixed-point product");
            if (g == want) gemmExact++;
            if (s == want) singleExact++;
        }
        System.out.printf("requantize vs rint(acc*M) over %d cases, M log-uniform in [2^-16, 16): gemmlowp exact %.4f%%, single-rounding exact %.4f%%%n",
                n, 100.0 * gemmExact / n, 100.0 * singleExact / n);
        assertTrue(gemmExact > 0.9 * n, "gemmlowp rounding exact in most cases: " + gemmExact);
        assertTrue(singleExact > 0.999 * n, "single rounding exact except at ties: " + singleExact);
    }

    @Test
    void requantizeToInt8AndUint8() {
        QuantSpec s8 = QuantSpec.affine(DataType.INT8), u8 = QuantSpec.affine(DataType.UINT8);
        double m = Requantizer.realMultiplier(0.02f, 0.005f, 0.1f); // 0.001
        FixedPointMultiplier f = FixedPointMultiplier.of(m);
        assertEquals(5, Requantizer.requantize(5000, f, 0, s8));
        assertEquals(127, Requantizer.requantize(1_000_000, f, 0, s8));
        assertEquals(-128, Requantizer.requantize(-1_000_000, f, 0, s8));
        assertEquals(133, Requantizer.requantize(5000, f, 128, u8));
        assertEquals(0, Requantizer.requantize(-500_000, f, 128, u8));
        byte[] out = new byte[4];
        Requantizer.requantize(new int[] {5000, -5000, 100_000, 2000}, 2, 2,
                new FixedPointMultiplier[] {f, FixedPointMultiplier.of(0.01)}, 0, s8, out);
        assertArrayEquals(new byte[] {5, -50, 100, 20}, out);
        assertThrows(IllegalArgumentException.class, () -> Requantizer.realMultiplier(0f, 1f, 1f));
    }
}
