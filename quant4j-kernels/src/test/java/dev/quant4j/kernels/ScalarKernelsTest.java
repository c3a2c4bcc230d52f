package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The oracle against hand-computed answers and the JDK's own conversions. */
class ScalarKernelsTest {
    final Kernels k = new ScalarKernels();

    @Test
    void sgemmSmallKnownAnswer() {
        float[] a = {1, 2, 3, 4, 5, 6};          // 2×3
        float[] b = {7, 8, 9, 10, 11, 12};       // 3×2
        float[] c = new float[4];
        k.sgemm(2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        k.sgemm(2, 2, 3, a, 0, 3, b, 0, 2, c, 0, 2, true);
        assertArrayEquals(new float[] {116, 128, 278, 308}, c);
    }

    @Test
    void packedTransposedEqualsPlain() {
        float[] bt = {7, 9, 11, 8, 10, 12};       // Bᵀ 2×3
        PackedF32 p = k.packF32(3, 2, MemorySegment.ofArray(bt), 0, 3, true);
        float[] c = new float[4];
        k.sgemm(2, new float[] {1, 2, 3, 4, 5, 6}, 0, 3, p, c, 0, 2, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
    }

    @Test
    void gemmI8KnownAnswerWithZeroPoints() {
        // A u8 [1×2] = {200, 10}, za = 10 → {190, 0}; B s8 [2×1] = {-3, 5}, zb = 2 → {-5, 3}
        PackedI8 b = k.packI8(2, 1, MemorySegment.ofArray(new byte[] {-3, 5}), 0, 1, false, new int[] {2});
        int[] out = new int[1];
        k.gemmI8(1, new byte[] {(byte) 200, 10}, 0, 2, true, 10, b, new Epilogue.ToInt32(out, 0, 1));
        assertEquals(-950, out[0]);
        byte[] q = new byte[1];
        // -950·0.1 = -95 → +3 = -92, clamped to -80
        k.gemmI8(1, new byte[] {(byte) 200, 10}, 0, 2, true, 10, b,
                new Epilogue.ToInt8(q, 0, 1, null, new float[] {0.1f}, 3, -80, 127));
        assertEquals(-80, q[0]);
    }

    @Test
    void gemvQInt4KnownAnswer() {
        // one row, 3 columns, block 16: codes 9, 3, 15 → low/high nibbles
        byte[] data = new byte[8];
        data[0] = (byte) (9 | 3 << 4);
        data[1] = 15;
        BlockQuantizedMatrix w = new BlockQuantizedMatrix(1, 3, 4, 16, MemorySegment.ofArray(data), new float[] {0.5f}, null);
        float[] y = new float[1];
        k.gemvQ(w, new float[] {1, 2, 3}, 0, y, 0);
        assertEquals(((9 - 8) * 1 + (3 - 8) * 2 + (15 - 8) * 3) * 0.5f, y[0]);
    }

    @Test
    void f16MatchesJdkForEveryNonNaN() {
        for (int h = 0; h < 65536; h++) {
            float f = HalfFloats.f16ToF32((short) h);
            float j = Float.float16ToFloat((short) h);
            if (Float.isNaN(j)) assertTrue(Float.isNaN(f));
            else assertEquals(Float.floatToRawIntBits(j), Float.floatToRawIntBits(f), "h=" + h);
        }
    }

    @Test
    void f32ToHalfMatchesJdkOnRandomAndEdgeBits() {
        Random r = new Random(1);
        int[] edges = {0, 0x80000000, 0x7F800000, 0xFF800000, 0x477FEFFF, 0x477FF000, 0x477FE000, 0x38800000, 0x387FFFFF,
                0x33000000, 0x33000001, 0x337FFFFF, 0x32FFFFFF, 0x7F7FFFFF, 0x00000001};
        for (int i = 0; i < 2_000_000; i++) {
            int bits = i < edges.length ? edges[i] : i % 2 == 0 ? r.nextInt() : Float.floatToRawIntBits((float) r.nextGaussian() * 1e4f);
            float f = Float.intBitsToFloat(bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float.float16ToFloat(HalfFloats.f32ToF16(f))));
                assertTrue(Float.isNaN(HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(f))));
                continue;
            }
            assertEquals(Float.floatToFloat16(f), HalfFloats.f32ToF16(f), () -> Integer.toHexString(bits));
            // bf16: the result is the float nearest to f among those with 16 zero low bits (ties to even)
            float back = HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(f));
            int lo = bits & 0xFFFF0000, hi = lo + 0x10000;
            int expect = (bits & 0xFFFF) > 0x8000 || ((bits & 0xFFFF) == 0x8000 && (lo & 0x10000) != 0) ? hi : lo;
            assertEquals(expect, Float.floatToRawIntBits(back), () -> Integer.toHexString(bits));
        }
    }

    @Test
    void badShapesThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> k.sgemm(2, 2, 3, new float[5], 0, 3, new float[6], 0, 2, new float[4], 0, 2, false));
        assertThrows(IllegalArgumentException.class,
                () -> k.sgemm(2, 2, 3, new float[6], 0, 2, new float[6], 0, 2, new float[4], 0, 2, false));
        assertThrows(IllegalArgumentException.class,
                () -> k.sgemv(2, 3, MemorySegment.ofArray(new float[5]), 0, 3, new float[3], 0, new float[2], 0));
        assertThrows(IllegalArgumentException.class,
                () -> k.packI8(2, 2, MemorySegment.ofArray(new byte[4]), 0, 2, false, new int[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> k.f16ToF32(new short[3], 1, new float[3], 0, 3));
    }
}
