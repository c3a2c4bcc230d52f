package dev.quant4j.nativekernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native GGML block dots against a float64 reference written here from the block layouts (the
 * integer sum per group exact, then scaled in double), on every ISA level this CPU runs: random
 * blocks, 1..67 rows, 1..9 blocks per row, rows starting at odd byte offsets of heap and native
 * segments, a row stride larger than the row. The native result differs by float32 rounding only,
 * so the tolerance scales with Σ|term| of the row.
 */
class GgmlDotsTest {

    static Stream<Arguments> cases() {
        return NativeAvailability.isas().stream().flatMap(isa -> Stream.of(GgmlDots.Type.values()).map(t -> Arguments.of(isa, t)));
    }

    /** Activations as the LLM runtime holds them: codes within ±127 and per-group scale, sum, scale × sum. */
    record Acts(short[] q, float[] d, int[] sum, float[] dsum) {
        static Acts random(Random r, int n) {
            short[] q = new short[n];
            float[] d = new float[n / 32], ds = new float[n / 32];
            int[] s = new int[n / 32];
            for (int g = 0; g < n / 32; g++) {
                d[g] = (float) (0.001 + r.nextDouble() * 0.1);
                for (int i = 0; i < 32; i++) {
                    q[32 * g + i] = (short) (r.nextInt(8) == 0 ? (r.nextBoolean() ? 127 : -127) : r.nextInt(255) - 127);
                    s[g] += q[32 * g + i];
                }
                ds[g] = d[g] * s[g];
            }
            return new Acts(q, d, s, ds);
        }
    }

    static void randomRow(Random r, GgmlDots.Type t, MemorySegment s, long off, int n) {
        byte[] b = new byte[(int) t.rowBytes(n)];
        r.nextBytes(b);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, off, b.length);
        int bs = t == GgmlDots.Type.Q4_K ? 144 : t == GgmlDots.Type.Q8_0 ? 34 : 18;
        for (long o = off; o < off + b.length; o += bs) {
            s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16((float) (r.nextGaussian() * 0.05)));
            if (t == GgmlDots.Type.Q4_K) s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o + 2, Float.floatToFloat16((float) (r.nextDouble() * 0.02)));
        }
    }

    private static int u8(MemorySegment s, long o) { return s.get(ValueLayout.JAVA_BYTE, o) & 0xFF; }

    private static double f16(MemorySegment s, long o) { return Float.float16ToFloat(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, o)); }

    /** {value, Σ|term|} of one row, from the layouts. */
    static double[] reference(GgmlDots.Type t, MemorySegment s, long off, int n, Acts a) {
        double y = 0, mag = 0;
        for (int g = 0; g < n / 32; g++) {
            long acc = 0, abs = 0; // abs: Σ|code·xq|, the size the float lane sums are rounded at
            double scale, corr = 0;
            switch (t) {
                case Q4_0 -> { // | d | qs[16] |, qs[j] = q[j] | q[j+16] << 4, w = d (q - 8)
                    long o = off + 18L * g;
                    for (int j = 0; j < 32; j++) {
                        long p = (long) (((u8(s, o + 2 + j % 16) >>> (j < 16 ? 0 : 4)) & 15) - 8) * a.q[32 * g + j];
                        acc += p;
                        abs += Math.abs(p) + 8L * Math.abs(a.q[32 * g + j]);
                    }
                    scale = f16(s, o);
                }
                case Q8_0 -> {
                    long o = off + 34L * g;
                    for (int j = 0; j < 32; j++) {
                        long p = (long) s.get(ValueLayout.JAVA_BYTE, o + 2 + j) * a.q[32 * g + j];
                        acc += p;
                        abs += Math.abs(p);
                    }
                    scale = f16(s, o);
                }
                default -> { // Q4_K: sub-block sub of super-block sb
                    long o = off + 144L * (g / 8);
                    int sub = g % 8;
                    for (int l = 0; l < 32; l++) {
                        long p = (long) ((u8(s, o + 16 + 32 * (sub / 2) + l) >>> (4 * (sub & 1))) & 15) * a.q[32 * g + l];
                        acc += p;
                        abs += Math.abs(p);
                    }
                    int sc = sub < 4 ? u8(s, o + 4 + sub) & 63 : (u8(s, o + 8 + sub) & 15) | (u8(s, o + sub) >>> 6) << 4;
                    int mn = sub < 4 ? u8(s, o + 8 + sub) & 63 : (u8(s, o + 8 + sub) >>> 4) | (u8(s, o + 4 + sub) >>> 6) << 4;
                    scale = f16(s, o) * sc;
                    corr = f16(s, o + 2) * mn * (double) a.d[g] * a.sum[g];
                }
            }
            double term = scale * a.d[g] * acc;
            y += term - corr;
            mag += Math.abs(scale * a.d[g]) * abs + Math.abs(corr);
        }
        return new double[] {y, mag};
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesTheLayoutReference(Isa isa, GgmlDots.Type t) {
        Random r = new Random(31 + 7 * t.ordinal() + isa.ordinal());
        int unit = t == GgmlDots.Type.Q4_K ? 256 : 32;
        for (int trial = 0; trial < 24; trial++) {
            int blocks = 1 + trial % 9, n = blocks * unit, rows = trial == 0 ? 67 : 1 + r.nextInt(67);
            long rowBytes = t.rowBytes(n) + (trial % 3 == 2 ? 5 : 0), start = 1 + r.nextInt(40);
            long bytes = start + rowBytes * rows;
            MemorySegment s = trial % 2 == 0 ? MemorySegment.ofArray(new byte[(int) bytes]) : Arena.ofAuto().allocate(bytes, 1);
            for (int row = 0; row < rows; row++) randomRow(r, t, s, start + row * rowBytes, n);
            Acts a = Acts.random(r, n);
            float[] y = new float[rows + 3];
            GgmlDots.rows(isa, t, s, start, rowBytes, rows, n, a.q, a.d, a.sum, a.dsum, y, 2);
            for (int row = 0; row < rows; row++) {
                double[] ref = reference(t, s, start + row * rowBytes, n, a);
                assertEquals(ref[0], y[2 + row], 1e-5 * ref[1] + 1e-30, isa + " " + t + " n=" + n + " row " + row + "/" + rows);
            }
            assertEquals(0, y[0]);
            assertEquals(0, y[1]);
            assertEquals(0, y[rows + 2]);
        }
    }

    /** Extreme codes (Q8_0 weight −128 against ±127, all-15 nibbles) sum without 16-bit saturation. */
    @ParameterizedTest
    @MethodSource("cases")
    void extremeCodesSumExactly(Isa isa, GgmlDots.Type t) {
        int n = 512;
        for (int fill : new int[] {0x80, 0xFF, 0x00, 0x7F}) {
            MemorySegment s = MemorySegment.ofArray(new byte[(int) t.rowBytes(n)]);
            s.fill((byte) fill);
            int bs = t == GgmlDots.Type.Q4_K ? 144 : t == GgmlDots.Type.Q8_0 ? 34 : 18;
            for (long o = 0; o < s.byteSize(); o += bs) {
                s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o, Float.floatToFloat16(1f));
                if (t == GgmlDots.Type.Q4_K) s.set(ValueLayout.JAVA_SHORT_UNALIGNED, o + 2, Float.floatToFloat16(1f));
            }
            for (int sign : new int[] {127, -127}) {
                short[] q = new short[n];
                java.util.Arrays.fill(q, (short) sign);
                float[] d = new float[n / 32], ds = new float[n / 32];
                int[] sum = new int[n / 32];
                java.util.Arrays.fill(d, 1f);
                java.util.Arrays.fill(sum, 32 * sign);
                java.util.Arrays.fill(ds, 32f * sign);
                Acts a = new Acts(q, d, sum, ds);
                float[] y = new float[1];
                GgmlDots.rows(isa, t, s, 0, t.rowBytes(n), 1, n, q, d, sum, ds, y, 0);
                assertEquals(reference(t, s, 0, n, a)[0], y[0], 0.0, isa + " " + t + " fill " + fill + " codes " + sign);
            }
        }
    }

    @Test
    void wrongSizesAreExceptions() {
        NativeAvailability.require();
        GgmlDots.Type t = GgmlDots.Type.Q4_0;
        int n = 64;
        Acts a = Acts.random(new Random(1), n);
        MemorySegment s = MemorySegment.ofArray(new byte[(int) t.rowBytes(n) * 3]);
        float[] y = new float[3];
        GgmlDots.rows(t, s, 0, t.rowBytes(n), 3, n, a.q, a.d, a.sum, a.dsum, y, 0); // fits exactly
        assertThrows(IndexOutOfBoundsException.class, () -> GgmlDots.rows(t, s, 1, t.rowBytes(n), 3, n, a.q, a.d, a.sum, a.dsum, y, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n), 4, n, a.q, a.d, a.sum, a.dsum, new float[4], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> GgmlDots.rows(t, s, -1, t.rowBytes(n), 1, n, a.q, a.d, a.sum, a.dsum, y, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n), 3, n, a.q, a.d, a.sum, a.dsum, y, 1));
        assertThrows(IllegalArgumentException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n) - 1, 2, n, a.q, a.d, a.sum, a.dsum, y, 0));
        assertThrows(IllegalArgumentException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n), 1, 48, a.q, a.d, a.sum, a.dsum, y, 0));
        assertThrows(IllegalArgumentException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(96), 1, 96, a.q, a.d, a.sum, a.dsum, y, 0));
        assertThrows(IllegalArgumentException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n), 1, n, new short[63], a.d, a.sum, a.dsum, y, 0));
        assertThrows(IllegalArgumentException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n), 1, n, a.q, new float[1], a.sum, a.dsum, y, 0));
        assertThrows(IllegalArgumentException.class, () -> GgmlDots.rows(GgmlDots.Type.Q4_K, s, 0, 144, 1, 64, a.q, a.d, a.sum, a.dsum, y, 0));
        assertThrows(NullPointerException.class, () -> GgmlDots.rows(t, s, 0, t.rowBytes(n), 1, n, a.q, a.d, null, a.dsum, y, 0));
    }
}
