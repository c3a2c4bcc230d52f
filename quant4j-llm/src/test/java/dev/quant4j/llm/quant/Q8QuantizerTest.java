package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector activation quantizer against the scalar loop, bit for bit, including ties, zeros, NaN, infinities and tiny groups. */
class Q8QuantizerTest {
    private static void assertSame(float[] x, int off, int n) {
        short[] q1 = new short[n], q2 = new short[n], m1 = new short[n / 2], m2 = new short[n / 2];
        float[] d1 = new float[n / 32], d2 = new float[n / 32], ds1 = new float[n / 32], ds2 = new float[n / 32];
        int[] s1 = new int[n / 32], s2 = new int[n / 32];
        Q8Activations.scalar(x, off, n, q1, d1, s1, ds1, m1);
        Q8Quantizer.quantize(x, off, n, q2, d2, s2, ds2, m2);
        assertArrayEquals(q1, q2, "codes");
        assertArrayEquals(d1, d2, "scales");
        assertArrayEquals(s1, s2, "sums");
        assertArrayEquals(ds1, ds2, "scale x sum");
        assertArrayEquals(m1, m2, "Q4_0 offsets");
    }

    @Test void randomGroupsAtEveryScale() {
        assumeTrue(Q8Quantizer.USABLE, "no 256-bit vectors here");
        Random r = new Random(3);
        for (int rep = 0; rep < 200; rep++) {
            int n = 32 * (1 + r.nextInt(12)), off = r.nextInt(5);
            float[] x = new float[n + off];
            double scale = Math.pow(10, r.nextInt(61) - 30);
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * scale);
            assertSame(x, off, n);
        }
    }

    @Test void tiesZerosAndSpecialValues() {
        assumeTrue(Q8Quantizer.USABLE, "no 256-bit vectors here");
        // amax 127: inv = 1, so the codes are Math.round of the values themselves, ties included
        float[] ties = new float[64];
        for (int i = 0; i < 64; i++) ties[i] = (i % 2 == 0 ? 1 : -1) * (i / 2 + 0.5f);
        ties[0] = 127f;
        ties[33] = 127f;
        ties[5] = 0.49999997f;
        ties[6] = -0.49999997f;
        ties[7] = -0f;
        assertSame(ties, 0, 64);
        short[] q = Q8Activations.of(ties, 0, 64).q();
        for (int i = 0; i < 64; i++) assertEquals(Math.round(ties[i]), q[i], "value " + ties[i]);

        float[] special = new float[32 * 6];
        special[32 + 3] = Float.NaN;
        special[64 + 1] = Float.POSITIVE_INFINITY;
        special[64 + 2] = 5f;
        for (int i = 96; i < 128; i++) special[i] = Float.MIN_VALUE * i; // subnormal group: 127/amax overflows
        for (int i = 128; i < 160; i++) special[i] = 1e-33f * (i - 140);
        special[160] = -Float.MAX_VALUE;
        special[161] = Float.MAX_VALUE / 3;
        assertSame(special, 0, special.length);
        Q8Activations a = Q8Activations.of(special, 0, special.length);
        for (int i = 96; i < 128; i++) assertEquals(0, a.q()[i], "a subnormal group quantizes to zeros");
        assertEquals(0, a.sums()[0], "a zero group");
    }
}
