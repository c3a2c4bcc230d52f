package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: super-blocks of 256 weights = 8 sub-blocks of 32, 5.5 bits per weight.
 * x = d·sc[s]·q − dmin·mn[s], q ∈ [0, 31] (6-bit sc and mn, see {@link KScales}).
 * <pre>
 * byte  0      2      4               16             48                     176
 *       +------+------+---------------+--------------+----------------------+
 *       | d    | dmin | scales (12 B) | qh[0..31]    | qs[0..127]           |
 *       +------+------+---------------+--------------+----------------------+
 * chunk c = 0..3, l = 0..31:
 *   q[64c + l]      = (qs[32c+l] &amp; 15) | bit (2c)   of qh[l] &lt;&lt; 4    (sub-block 2c)
 *   q[64c + 32 + l] = (qs[32c+l] &gt;&gt; 4) | bit (2c+1) of qh[l] &lt;&lt; 4    (sub-block 2c+1)
 * </pre>
 */
final class Q5_KFormat extends BlockCodec {
    Q5_KFormat() { super(GgmlType.Q5_K); }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off), dmin = Le.f16(s, off + 2);
        for (int c = 0; c < 4; c++) {
            float d1 = d * KScales.scale(s, off + 4, 2 * c), m1 = dmin * KScales.min(s, off + 4, 2 * c);
            float d2 = d * KScales.scale(s, off + 4, 2 * c + 1), m2 = dmin * KScales.min(s, off + 4, 2 * c + 1);
            for (int l = 0; l < 32; l++) {
                int b = Le.u8(s, off + 48 + 32 * c + l), h = Le.u8(s, off + 16 + l);
                dst[o + 64 * c + l] = d1 * ((b & 0xF) | ((h >>> (2 * c)) & 1) << 4) - m1;
                dst[o + 64 * c + 32 + l] = d2 * ((b >>> 4) | ((h >>> (2 * c + 1)) & 1) << 4) - m2;
            }
        }
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        float d = Le.f16(s, off), dmin = Le.f16(s, off + 2);
        float acc = 0;
        for (int c = 0; c < 4; c++) {
            float qx1 = 0, qx2 = 0, sx1 = 0, sx2 = 0;
            for (int l = 0; l < 32; l++) {
                int b = Le.u8(s, off + 48 + 32 * c + l), h = Le.u8(s, off + 16 + l);
                float x1 = x[xo + 64 * c + l], x2 = x[xo + 64 * c + 32 + l];
                qx1 += ((b & 0xF) | ((h >>> (2 * c)) & 1) << 4) * x1; sx1 += x1;
                qx2 += ((b >>> 4) | ((h >>> (2 * c + 1)) & 1) << 4) * x2; sx2 += x2;
            }
            acc += d * KScales.scale(s, off + 4, 2 * c) * qx1 - dmin * KScales.min(s, off + 4, 2 * c) * sx1
                 + d * KScales.scale(s, off + 4, 2 * c + 1) * qx2 - dmin * KScales.min(s, off + 4, 2 * c + 1) * sx2;
        }
        return acc;
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        int[] q = KScales.encode(x, xo, w, wo, 31, dst, off);
        for (int l = 0; l < 32; l++) {
            int h = 0;
            for (int c = 0; c < 4; c++) {
                int q1 = q[64 * c + l], q2 = q[64 * c + 32 + l];
                Le.putU8(dst, off + 48 + 32 * c + l, (q1 & 0xF) | (q2 & 0xF) << 4);
                h |= (q1 >>> 4) << (2 * c) | (q2 >>> 4) << (2 * c + 1);
            }
            Le.putU8(dst, off + 16 + l, h);
        }
    }
}
