package dev.quant4j.llm.calib;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.quant.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodeGridTest {
    static final GgmlType[] TYPES = {GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q6_K};

    /** Codes written here must decode, through the format's own decoder, to a·c + b. */
    @Test
    void writtenCodesDecodeToTheGrid() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (GgmlType t : TYPES) {
            int bs = t.blockSize();
            for (int trial = 0; trial < 20; trial++) {
                float[] w = new float[bs];
                for (int i = 0; i < bs; i++) w[i] = (float) (rnd.nextGaussian() * (1 + i % 7));
                MemorySegment blk = MemorySegment.ofArray(new byte[t.bytesPerBlock()]);
                float[] a = new float[bs], b = new float[bs];
                CodeGrid.choose(t, w, 0, null, 0, blk, 0, a, b);
                int[] codes = new int[bs];
                for (int i = 0; i < bs; i++) CodeGrid.setCode(t, blk, 0, i, codes[i] = rnd.nextInt(CodeGrid.maxCode(t) + 1));
                float[] dec = new float[bs];
                t.format().dequantize(blk, 0, dec, 0, bs);
                for (int i = 0; i < bs; i++)
                    assertEquals((double) a[i] * codes[i] + b[i], dec[i], 1e-5 * (Math.abs(dec[i]) + Math.abs(b[i]) + 1e-3), t + " weight " + i);
            }
        }
    }

    /** The nearest code on the grid reproduces what the encoder chose for the block, up to rare ties. */
    @Test
    void nearestCodesAgreeWithTheEncoder() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (GgmlType t : TYPES) {
            int bs = t.blockSize(), same = 0, total = 0;
            for (int trial = 0; trial < 20; trial++) {
                float[] w = new float[bs];
                for (int i = 0; i < bs; i++) w[i] = (float) rnd.nextGaussian();
                MemorySegment blk = MemorySegment.ofArray(new byte[t.bytesPerBlock()]);
                float[] a = new float[bs], b = new float[bs], enc = new float[bs], mine = new float[bs];
                CodeGrid.choose(t, w, 0, null, 0, blk, 0, a, b);
                t.format().dequantize(blk, 0, enc, 0, bs);
                for (int i = 0; i < bs; i++) CodeGrid.setCode(t, blk, 0, i, CodeGrid.nearest(w[i], a[i], b[i], CodeGrid.maxCode(t)));
                t.format().dequantize(blk, 0, mine, 0, bs);
                for (int i = 0; i < bs; i++) {
                    total++;
                    if (enc[i] == mine[i]) same++;
                    // never farther from the weight than what the encoder chose
                    assertTrue(Math.abs(mine[i] - w[i]) <= Math.abs(enc[i] - w[i]) + 1e-6, t + " weight " + i);
                }
            }
            assertTrue(same >= 0.95 * total, t + ": only " + same + "/" + total + " codes agree");
        }
    }
}
