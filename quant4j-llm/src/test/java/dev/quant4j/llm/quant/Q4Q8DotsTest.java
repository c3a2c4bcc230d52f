package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The quantized-activation dots: the vector kernel against its scalar twin (same integer sums),
 * and the result against the exact fp32-activation dot within the error the 8-bit activations
 * allow (each x moves by at most half its group's step).
 */
class Q4Q8DotsTest {

    @Test
    void activationsRoundToHalfAStep() {
        Random r = new Random(5);
        float[] x = new float[96 + 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (i < 35 ? 100 : 0.01));
        for (int i = 67; i < 99; i++) x[i] = 0; // an all-zero group
        Q8Activations a = Q8Activations.of(x, 3, 96);
        for (int i = 0; i < 96; i++) {
            int g = i / 32;
            assertTrue(Math.abs(a.q()[i]) <= 127, "code " + a.q()[i]);
            assertEquals(x[3 + i], a.d()[g] * a.q()[i], a.d()[g] / 2 * 1.0001 + 1e-30, "x[" + i + "]");
        }
        for (int g = 0; g < 3; g++) {
            int s = 0;
            for (int i = 0; i < 32; i++) s += a.q()[32 * g + i];
            assertEquals(s, a.sums()[g]);
            assertEquals((double) a.d()[g] * s, a.dsums()[g], 1e-6 * Math.abs((double) a.d()[g] * s));
            for (int j = 0; j < 16; j++) // the lanes of Q4_0's 16-bit products: weight j with x[j], weight 16+j with x[16+j]
                assertEquals(-8 * (a.q()[32 * g + j] + a.q()[32 * g + 16 + j]), a.minus8()[16 * g + j], "minus8[" + (16 * g + j) + "]");
        }
        assertEquals(0, a.d()[2]);
        assertThrows(IllegalArgumentException.class, () -> Q8Activations.of(x, 0, 40));
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q8_0"})
    void kernelMatchesScalarTwinAndStaysWithinTheActivationError(GgmlType t) {
        Q4Q8Dots.Kernel k = Q4Q8Dots.of(t);
        Assumptions.assumeTrue(k != null, "no 256-bit vectors here");
        Random r = new Random(17 + t.ordinal());
        // Q4_0 also with an odd number of blocks (its kernel takes two per iteration) and one block
        int[] sizes = t == GgmlType.Q4_K ? new int[] {256, 2048, 5632} : new int[] {32, 96, 256, 2048, 2080, 5632};
        for (int n : sizes) {
            float[] wsrc = new float[n];
            for (int i = 0; i < n; i++) wsrc[i] = (float) (r.nextGaussian() * (r.nextInt(50) == 0 ? 10 : 1));
            MemorySegment s = MemorySegment.ofArray(new byte[(int) t.byteSize(n) + 8]).asSlice(5); // unaligned on purpose
            t.format().quantize(wsrc, 0, null, 0, n, s, 0);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * (r.nextInt(40) == 0 ? 20 : 1));
            Q8Activations a = Q8Activations.of(x, 0, n);
            float[] w = new float[n];
            t.format().dequantize(s, 0, w, 0, n);
            double mag = 0, bound = 0;
            for (int i = 0; i < n; i++) {
                mag += Math.abs(w[i] * x[i]);
                bound += Math.abs(w[i]) * a.d()[i / 32] / 2;
            }
            float twin = switch (t) {
                case Q4_0 -> Q4Q8Dots.q4_0Reference(s, 0, a, n);
                case Q4_K -> Q4Q8Dots.q4_kReference(s, 0, a, n);
                default -> Q4Q8Dots.q8_0Reference(s, 0, a, n);
            };
            float got = k.dot(s, 0, a, n);
            assertEquals(twin, got, 1e-5 * mag + 1e-6, t + " n=" + n + " vs scalar twin");
            float exact = t.format().dot(s, 0, x, 0, n);
            assertEquals(exact, got, bound + 1e-5 * mag, t + " n=" + n + " vs fp32 activations");
            assertNotEquals(0, bound); // the bound is not vacuous: x really was rounded
        }
    }

    @Test
    void matvecQuantizedInputUsesTheQuantizedActivations() {
        Assumptions.assumeTrue(Q4Q8Dots.of(GgmlType.Q4_0) != null);
        Random r = new Random(3);
        int rows = 40, cols = 512;
        float[] w = new float[rows * cols], x = new float[cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian();
        WeightMatrix m = WeightMatrix.quantize(GgmlType.Q4_0, rows, cols, w, null);
        float[] y = new float[rows];
        m.matvecQuantizedInput(x, 0, y, 0, 2);
        Q8Activations a = Q8Activations.of(x, 0, cols);
        for (int i = 0; i < rows; i++)
            assertEquals(Q4Q8Dots.q4_0Reference(m.data(), i * m.rowBytes(), a, cols), y[i], 1e-4 * (1 + Math.abs(y[i])), "row " + i);
    }

    /**
     * The largest 16-bit lanes the kernels form (codes at the ends of their range against
     * activation codes ±127) still sum exactly: the kernel equals its integer twin to float rounding.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q8_0"})
    void extremeCodesSumExactly(GgmlType t) {
        Q4Q8Dots.Kernel k = Q4Q8Dots.of(t);
        Assumptions.assumeTrue(k != null, "no 256-bit vectors here");
        int n = 2048;
        Random r = new Random(11);
        for (int pattern = 0; pattern < 3; pattern++) {
            MemorySegment s = MemorySegment.ofArray(new byte[(int) t.byteSize(n)]);
            s.fill((byte) (pattern == 1 ? 0x00 : 0xFF)); // Q4_0: codes 0 or 15 (−8 or +7); Q4_K: codes, scales, mins 15/63; Q8_0: −1 or 0
            int bpb = t.bytesPerBlock(), blocks = (int) (t.byteSize(n) / bpb);
            for (int b = 0; b < blocks; b++) {
                long o = (long) b * bpb;
                Le.putF16(s, o, 1f);
                if (t == GgmlType.Q4_K) {
                    Le.putF16(s, o + 2, 1f);
                    for (int j = 4; j < 16; j++) Le.putU8(s, o + j, 0xFF); // every scale and min 63
                }
                if (t == GgmlType.Q8_0) for (int j = 0; j < 32; j++) Le.putU8(s, o + 2 + j, pattern == 2 && r.nextBoolean() ? 0x7F : 0x80);
                if (pattern == 2 && t == GgmlType.Q4_0) for (int j = 0; j < 16; j++) Le.putU8(s, o + 2 + j, r.nextBoolean() ? 0x00 : 0xFF);
            }
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = pattern == 2 ? (r.nextBoolean() ? 1 : -1) : (pattern == 1 ? -1 : 1);
            Q8Activations a = Q8Activations.of(x, 0, n);
            float twin = switch (t) {
                case Q4_0 -> Q4Q8Dots.q4_0Reference(s, 0, a, n);
                case Q4_K -> Q4Q8Dots.q4_kReference(s, 0, a, n);
                default -> Q4Q8Dots.q8_0Reference(s, 0, a, n);
            };
            assertNotEquals(0, twin);
            assertEquals(twin, k.dot(s, 0, a, n), 1e-6 * Math.abs(twin), t + " pattern " + pattern);
        }
    }
}
