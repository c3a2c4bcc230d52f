package dev.quant4j.core.numerics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * FP16 (through the JDK) and BF16 against float64 grids computed from the IEEE field definitions:
 * all 65536 codes decode exactly, and every grid value, midpoint and neighbour encodes with
 * round-to-nearest-even, overflowing to infinity.
 */
class HalfAndBFloat16Test {

    static double value(int code, int expBits, int manBits) {
        int bias = (1 << (expBits - 1)) - 1;
        int e = (code >> manBits) & ((1 << expBits) - 1), m = code & ((1 << manBits) - 1);
        double mag;
        if (e == (1 << expBits) - 1) mag = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        else if (e == 0) mag = Math.pow(2, 1 - bias) * m / Math.pow(2, manBits);
        else mag = Math.pow(2, e - bias) * (1 + m / Math.pow(2, manBits));
        return (code & (1 << (expBits + manBits))) != 0 ? -mag : mag;
    }

    static ReferenceGrid grid(int maxFiniteCode, IntToDoubleFunction value) {
        double[] v = new double[maxFiniteCode + 1];
        int[] c = new int[maxFiniteCode + 1];
        for (int i = 0; i <= maxFiniteCode; i++) { v[i] = value.applyAsDouble(i); c[i] = i; }
        return new ReferenceGrid(v, c);
    }

    static final ReferenceGrid HALF = grid(0x7BFF, c -> value(c, 5, 10));
    static final ReferenceGrid BF16 = grid(0x7F7F, c -> value(c, 8, 7));

    /** Expected 16-bit code for x by the reference; IEEE: overflow gives Inf (0x7C00 / 0x7F80). */
    static int expected(ReferenceGrid g, int infCode, float x) {
        int sign = Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0;
        if (Float.isInfinite(x)) return sign | infCode;
        ReferenceGrid.Rounded r = g.round(Math.abs((double) x));
        return sign | (r.overflow() ? infCode : r.code());
    }

    static void checkBoth(float x) {
        assertEquals(expected(HALF, 0x7C00, x), Float16.fromFloat(x) & 0xFFFF, () -> "fp16 of " + x);
        assertEquals(expected(BF16, 0x7F80, x), BFloat16.fromFloat(x) & 0xFFFF, () -> "bf16 of " + x);
    }

    @Test
    void allCodesDecodeExactly() {
        for (int c = 0; c < 65536; c++) {
            double h = value(c, 5, 10), b = value(c, 8, 7);
            float hf = Float16.toFloat((short) c), bf = BFloat16.toFloat((short) c);
            if (Double.isNaN(h)) assertTrue(Float.isNaN(hf)); else assertEquals(h, hf, 0.0, "fp16 code " + c);
            if (Double.isNaN(b)) assertTrue(Float.isNaN(bf)); else assertEquals(b, bf, 0.0, "bf16 code " + c);
        }
    }

    @Test
    void gridValuesMidpointsAndNeighboursRoundToNearestEven() {
        for (ReferenceGrid g : new ReferenceGrid[] {HALF, BF16}) {
            for (double m : g.interestingMagnitudes()) {
                float x = (float) m;
                for (float y : new float[] {x, Math.nextUp(x), Math.nextDown(x)}) {
                    if (y < 0) continue;
                    checkBoth(y);
                    checkBoth(-y);
                }
            }
        }
    }

    @Test
    void randomFloatsRoundToNearestEven() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 300_000; i++) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(x)) continue;
            checkBoth(x);
        }
    }

    @Test
    void nanStaysQuietNanWithItsSign() {
        for (int bits : new int[] {0x7F800001, 0xFF800001, 0x7FC00000, 0x7F800100, 0xFFFFFFFF}) {
            float nan = Float.intBitsToFloat(bits);
            short b = BFloat16.fromFloat(nan);
            assertTrue(Float.isNaN(BFloat16.toFloat(b)), "bf16 of NaN bits " + Integer.toHexString(bits));
            assertEquals(bits < 0, b < 0, "sign kept");
            assertNotEquals(0, b & 0x0040, "quiet bit set");
            assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(nan))));
        }
    }

    @Test
    void bulkFormsMatchScalar() {
        float[] x = {1f / 3, -65520f, 1e-8f, 3.0e38f};
        short[] h = new short[4], b = new short[4];
        float[] hb = new float[4], bb = new float[4];
        Float16.fromFloat(x, 0, h, 0, 4);
        BFloat16.fromFloat(x, 0, b, 0, 4);
        Float16.toFloat(h, 0, hb, 0, 4);
        BFloat16.toFloat(b, 0, bb, 0, 4);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float16.round(x[i]), hb[i]);
            assertEquals(BFloat16.round(x[i]), bb[i]);
        }
        assertEquals(Float.NEGATIVE_INFINITY, hb[1], "the fp16 tie at -65520 rounds to -Inf");
    }
}
