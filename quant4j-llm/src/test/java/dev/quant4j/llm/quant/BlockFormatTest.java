package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Round trips, dot products and importance-weighted rounding of every supported block format. */
class BlockFormatTest {
    static final String ALL = "F32|F16|BF16|Q8_0|Q4_0|Q4_1|Q5_0|Q5_1|Q4_K|Q5_K|Q6_K";
    static final String BLOCKED = "Q8_0|Q4_0|Q4_1|Q5_0|Q5_1|Q4_K|Q5_K|Q6_K";
    static final double U16 = Math.pow(2, -11); // relative rounding error of an fp16 scale

    static float[] gaussian(Random r, int n, double outlierRate) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * (r.nextDouble() < outlierRate ? 8 : 1));
        return a;
    }

    static MemorySegment encode(GgmlType t, float[] x, float[] imp) {
        MemorySegment s = MemorySegment.ofArray(new byte[(int) t.byteSize(x.length)]);
        t.format().quantize(x, 0, imp, 0, x.length, s, 0);
        return s;
    }

    static float[] decode(GgmlType t, MemorySegment s, int n) {
        float[] y = new float[n];
        t.format().dequantize(s, 0, y, 0, n);
        return y;
    }

    /** Largest error a correct encoder may make on one weight, from the block's stored fields. */
    static double maxError(GgmlType t, MemorySegment s, int i, float x) {
        long b = (long) (i / t.blockSize()) * t.bytesPerBlock();
        return switch (t) {
            case F32 -> 0;
            case F16 -> Math.max(Math.abs(x) * U16, 0x1p-25);
            case BF16 -> Math.abs(x) * 0x1p-8;
            // q = round(x/d) with |q| ≤ 127; the stored fp16 d adds at most 127·|d|·u
            case Q8_0 -> Math.abs(Le.f16(s, b)) * (0.5 + 127 * U16);
            // the extreme maps to −8 (−16); the opposite side clips at +7 (+15): one step at most
            case Q4_0 -> Math.abs(Le.f16(s, b)) * (1 + 8 * U16);
            case Q5_0 -> Math.abs(Le.f16(s, b)) * (1 + 16 * U16);
            case Q4_1 -> Le.f16(s, b) * (0.5 + 15 * U16) + Math.abs(Le.f16(s, b + 2)) * U16 + 1e-6;
            case Q5_1 -> Le.f16(s, b) * (0.5 + 31 * U16) + Math.abs(Le.f16(s, b + 2)) * U16 + 1e-6;
            // half a step of the sub-block, plus what the 6-bit scale/min rounding can move the range
            case Q4_K, Q5_K -> {
                int qmax = t == GgmlType.Q4_K ? 15 : 31, sub = (i % 256) / 32;
                float d = Le.f16(s, b), dmin = Le.f16(s, b + 2);
                yield 0.5 * d * KScales.scale(s, b + 4, sub) + 0.5 * qmax * d + 0.5 * dmin + 1e-5;
            }
            case Q6_K -> {
                float d = Le.f16(s, b + 208);
                int sc = s.get(ValueLayout.JAVA_BYTE, b + 192 + (i % 256) / 16);
                yield Math.abs(d * sc) + 16 * Math.abs(d) + 1e-5;
            }
            default -> throw new AssertionError(t);
        };
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void roundTripErrorIsWithinTheFormatsBound(GgmlType t) {
        Random r = new Random(11 + t.ordinal());
        int n = 4096;
        float[] x = gaussian(r, n, 0.01);
        MemorySegment s = encode(t, x, null);
        float[] y = decode(t, s, n);
        double se = 0, sx = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.abs(x[i] - y[i]);
            assertTrue(e <= maxError(t, s, i, x[i]), t + " weight " + i + ": " + x[i] + " -> " + y[i] + " error " + e + " > " + maxError(t, s, i, x[i]));
            se += e * e; sx += (double) x[i] * x[i];
        }
        double rel = Math.sqrt(se / sx);
        // relative RMS error a uniform quantizer of that many levels per group must beat
        double limit = switch (t) {
            case F32 -> 0; case F16 -> 1e-3; case BF16 -> 5e-3;
            case Q8_0 -> 0.01; case Q6_K -> 0.03; case Q5_1, Q5_K -> 0.06; case Q5_0 -> 0.08; default -> 0.12;
        };
        assertTrue(rel <= limit, t + " relative RMS error " + rel + " > " + limit);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void dotEqualsDequantizeThenDotInFloat64(GgmlType t) {
        Random r = new Random(23 + t.ordinal());
        int n = 2048;
        MemorySegment s = encode(t, gaussian(r, n, 0.01), null);
        float[] w = decode(t, s, n);
        float[] x = gaussian(r, n + 7, 0);
        double ref = 0, mag = 0;
        for (int i = 0; i < n; i++) { ref += (double) w[i] * x[i + 7]; mag += Math.abs((double) w[i] * x[i + 7]); }
        float got = t.format().dot(s, 0, x, 7, n);
        assertEquals(ref, got, 1e-5 * mag, t + " scalar dot");
        float fast = RowDot.best(t).dot(s, 0, x, 7, n);
        assertEquals(ref, fast, 1e-5 * mag, t + " best dot");
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void importanceWeightedRoundingBeatsRtnInTheWeightedNorm(GgmlType t) {
        Random r = new Random(37 + t.ordinal());
        int cols = 1024, rows = 8;
        float[] imp = new float[cols];
        for (int c = 0; c < cols; c++) imp[c] = (float) Math.exp(2 * r.nextGaussian()); // skewed like activation energy
        double rtnTotal = 0, impTotal = 0;
        for (int row = 0; row < rows; row++) {
            float[] x = gaussian(r, cols, 0.02);
            float[] a = decode(t, encode(t, x, null), cols), b = decode(t, encode(t, x, imp), cols);
            for (int blk = 0; blk < cols; blk += t.blockSize()) {
                double ea = 0, eb = 0;
                for (int j = blk; j < blk + t.blockSize(); j++) {
                    ea += imp[j] * sq(x[j] - a[j]);
                    eb += imp[j] * sq(x[j] - b[j]);
                }
                assertTrue(eb <= ea * (1 + 1e-9), t + " row " + row + " block " + blk / t.blockSize() + ": weighted " + eb + " > RTN " + ea);
                rtnTotal += ea; impTotal += eb;
            }
        }
        // the search must buy something real, not just tie with RTN
        assertTrue(impTotal < 0.95 * rtnTotal, t + ": importance-weighted error " + impTotal + " is not clearly below RTN " + rtnTotal);
        System.out.printf("%s weighted error: RTN %.4f, importance-weighted %.4f (%.1f%%)%n", t, rtnTotal, impTotal, 100 * impTotal / rtnTotal);
    }

    static double sq(double v) { return v * v; }

    @org.junit.jupiter.api.Test
    void lengthsThatAreNotWholeBlocksAreRejected() {
        float[] x = new float[40];
        MemorySegment s = MemorySegment.ofArray(new byte[1000]);
        assertThrows(IllegalArgumentException.class, () -> GgmlType.Q8_0.format().quantize(x, 0, null, 0, 40, s, 0));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.Q4_K.format().dot(s, 0, x, 0, 32));
    }
}
