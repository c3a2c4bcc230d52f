package dev.quant4j.llm.calib;

import dev.quant4j.llm.quant.BlockFormat;
import dev.quant4j.llm.quant.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The grid of one encoded GGML block: weight i can take the values a[i]·c + b[i], c ∈ [0, maxCode].
 * The block's scales (and mins) are chosen by the format's own encoder; the grid is then read back
 * through the format's decoder (all codes 0 gives b, all codes 1 gives a + b), so no scale field
 * is parsed here. What this class knows is only where each weight's code sits in the block
 * (layouts as in the GGML block diagrams of {@code dev.quant4j.llm.quant}):
 * <pre>
 * Q8_0  byte 2+i = c − 128 (int8)
 * Q4_0  / Q4_1   nibble: byte (2|4) + i%16, low for i &lt; 16, high otherwise
 * Q5_0  / Q5_1   low 4 bits as Q4_x at byte (6|8) + i%16, bit 4 in qh (uint32 at 2|4) bit i
 * Q4_K  byte 16 + 32·(i/64) + i%32, low nibble when i%64 &lt; 32
 * Q6_K  low 4 bits: ql[64h + l + 32·(k&amp;1)], low nibble for k &lt; 2; high 2 bits: qh[32h + l] bits 2k
 *       (h = i/128, k = (i%128)/32, l = i%32)
 * </pre>
 * This lets GPTQ quantize weight by weight on the exact grid the file will hold and write the
 * codes it chose, bit-exact to the published layout.
 */
final class CodeGrid {
    private CodeGrid() {}

    static boolean supports(GgmlType t) {
        return switch (t) { case Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K -> true; default -> false; };
    }

    static int maxCode(GgmlType t) {
        return switch (t) {
            case Q8_0 -> 255;
            case Q4_0, Q4_1, Q4_K -> 15;
            case Q5_0, Q5_1 -> 31;
            case Q6_K -> 63;
            default -> throw new UnsupportedOperationException("no code grid for " + t);
        };
    }

    /** Writes code {@code c} of weight {@code i} into the block at {@code off}. */
    static void setCode(GgmlType t, MemorySegment s, long off, int i, int c) {
        switch (t) {
            case Q8_0 -> s.set(ValueLayout.JAVA_BYTE, off + 2 + i, (byte) (c - 128));
            case Q4_0 -> nibble(s, off + 2 + (i & 15), i >= 16, c);
            case Q4_1 -> nibble(s, off + 4 + (i & 15), i >= 16, c);
            case Q5_0 -> { nibble(s, off + 6 + (i & 15), i >= 16, c & 15); bit(s, off + 2, i, c >>> 4); }
            case Q5_1 -> { nibble(s, off + 8 + (i & 15), i >= 16, c & 15); bit(s, off + 4, i, c >>> 4); }
            case Q4_K -> nibble(s, off + 16 + 32 * (i >>> 6) + (i & 31), (i & 63) >= 32, c);
            case Q6_K -> {
                int h = i >>> 7, k = (i & 127) >>> 5, l = i & 31;
                nibble(s, off + 64 * h + l + 32 * (k & 1), k >= 2, c & 15);
                long qh = off + 128 + 32 * h + l;
                int v = s.get(ValueLayout.JAVA_BYTE, qh) & 0xFF;
                v = (v & ~(3 << (2 * k))) | ((c >>> 4) & 3) << (2 * k);
                s.set(ValueLayout.JAVA_BYTE, qh, (byte) v);
            }
            default -> throw new UnsupportedOperationException("no code grid for " + t);
        }
    }

    private static void nibble(MemorySegment s, long at, boolean high, int c) {
        int v = s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
        v = high ? (v & 0x0F) | (c & 15) << 4 : (v & 0xF0) | (c & 15);
        s.set(ValueLayout.JAVA_BYTE, at, (byte) v);
    }

    private static void bit(MemorySegment s, long at, int i, int b) {
        long byteAt = at + (i >>> 3); // qh is a little-endian uint32: bit i lives in byte i/8
        int v = s.get(ValueLayout.JAVA_BYTE, byteAt) & 0xFF;
        v = (v & ~(1 << (i & 7))) | (b & 1) << (i & 7);
        s.set(ValueLayout.JAVA_BYTE, byteAt, (byte) v);
    }

    /**
     * Chooses the block's scales with the format's encoder from {@code w[wOff..+blockSize)} (and
     * importance, may be null), leaves the encoded block at {@code off} and returns its grid in
     * {@code a} and {@code b} (length blockSize).
     */
    static void choose(GgmlType t, float[] w, int wOff, float[] imp, int impOff, MemorySegment s, long off, float[] a, float[] b) {
        BlockFormat f = t.format();
        int bs = t.blockSize();
        f.quantize(w, wOff, imp, impOff, bs, s, off);
        MemorySegment probe = MemorySegment.ofArray(new byte[t.bytesPerBlock()]);
        MemorySegment.copy(s, off, probe, 0, t.bytesPerBlock());
        for (int i = 0; i < bs; i++) setCode(t, probe, 0, i, 0);
        f.dequantize(probe, 0, b, 0, bs);
        for (int i = 0; i < bs; i++) setCode(t, probe, 0, i, 1);
        f.dequantize(probe, 0, a, 0, bs);
        for (int i = 0; i < bs; i++) a[i] -= b[i];
    }

    /** The code nearest to {@code v} on the grid (a, b). */
    static int nearest(double v, float a, float b, int maxCode) {
        if (a == 0) return 0;
        long c = Math.round((v - b) / a);
        return (int) Math.max(0, Math.min(maxCode, c));
    }
}
