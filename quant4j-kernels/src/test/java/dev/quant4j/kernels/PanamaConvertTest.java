package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Vector conversions are bit-identical to the scalar ones, NaNs included. */
class PanamaConvertTest {
    static final Kernels SCALAR = new ScalarKernels(), PANAMA = new PanamaKernels(1);

    @Test
    void everyHalfBitPatternConvertsIdentically() {
        short[] all = new short[65536 + 3];
        for (int i = 0; i < 65536; i++) all[i] = (short) i;
        float[] e = new float[all.length], g = new float[all.length];
        SCALAR.f16ToF32(all, 0, e, 0, all.length);
        PANAMA.f16ToF32(all, 0, g, 0, all.length);
        assertBits(e, g);
        SCALAR.bf16ToF32(all, 0, e, 0, all.length);
        PANAMA.bf16ToF32(all, 0, g, 0, all.length);
        assertBits(e, g);
        // and back: every half value survives the round trip through float
        short[] back = new short[all.length];
        PANAMA.f32ToF16(g, 0, back, 0, all.length);
        PANAMA.f16ToF32(all, 0, e, 0, all.length);
        PANAMA.f32ToF16(e, 0, back, 0, all.length);
        for (int i = 0; i < 65536; i++)
            if ((i & 0x7FFF) <= 0x7C00 || (i & 0x200) != 0) assertEquals(all[i], back[i], "half " + Integer.toHexString(i));
    }

    static void assertBits(float[] e, float[] g) {
        for (int i = 0; i < e.length; i++)
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(g[i]), "index " + i);
    }

    @Property(tries = 30)
    void floatsToHalvesIdentically(@ForAll @IntRange(min = 0, max = 3000) int count, @ForAll @IntRange(min = 0, max = 7) int off,
                                   @ForAll long seed) {
        Random r = new Random(seed);
        float[] src = new float[off + count];
        int[] special = {0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0xFFBFFFFF, 0x477FF000, 0x477FEFFF, 0x38800000,
                0x387FFFFF, 0x33000000, 0x33000001, 0x00000001, 0x80000000, 0x7F7FFFFF, 0x3F808000, 0x3F818000};
        for (int i = 0; i < src.length; i++) {
            int kind = r.nextInt(4);
            src[i] = kind == 0 ? Float.intBitsToFloat(r.nextInt())
                    : kind == 1 ? Float.intBitsToFloat(special[r.nextInt(special.length)])
                    : kind == 2 ? (float) Math.scalb(r.nextGaussian(), r.nextInt(60) - 40)
                    : Float.intBitsToFloat(r.nextInt(0x477FF000 - 0x33000000) + 0x33000000);
        }
        short[] e = new short[off + count + 2], g = new short[off + count + 2];
        SCALAR.f32ToF16(src, off, e, 1, count);
        PANAMA.f32ToF16(src, off, g, 1, count);
        assertArrayEquals(e, g);
        SCALAR.f32ToBf16(src, off, e, 2, count);
        PANAMA.f32ToBf16(src, off, g, 2, count);
        assertArrayEquals(e, g);
    }

    @Test
    void rangesAreChecked() {
        for (Kernels k : new Kernels[] {SCALAR, PANAMA}) {
            assertThrows(IllegalArgumentException.class, () -> k.f32ToF16(new float[4], 1, new short[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> k.bf16ToF32(new short[4], 0, new float[4], -1, 2));
            assertThrows(IllegalArgumentException.class, () -> k.f16ToF32(new short[4], 0, new float[4], 0, -1));
        }
    }
}
