package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q5_1: 32 weights, fp16 scale and fp16 offset, 6 bits per weight. x = d·q + m, q ∈ [0, 31].
 * <pre>
 * byte  0      2      4              8                        24
 *       +------+------+--------------+------------------------+
 *       | d    | m    | qh (uint32)  | qs[0] ... qs[15]       |
 *       +------+------+--------------+------------------------+
 * qs[j] = (q[j] &amp; 15) | (q[j+16] &amp; 15) &lt;&lt; 4;  qh bit j = bit 4 of q[j], bit j+16 = bit 4 of q[j+16]
 * </pre>
 * RTN: m = min(x), d = (max − min)/31.
 */
final class Q5_1Format extends BlockCodec {
    Q5_1Format() { super(GgmlType.Q5_1); }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off), m = Le.f16(s, off + 2);
        int qh = s.get(Le.I32, off + 4);
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 8 + j);
            dst[o + j] = d * ((b & 0xF) | ((qh >>> j) & 1) << 4) + m;
            dst[o + j + 16] = d * ((b >>> 4) | ((qh >>> (j + 16)) & 1) << 4) + m;
        }
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        int qh = s.get(Le.I32, off + 4);
        float acc = 0, sx = 0;
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 8 + j);
            acc += ((b & 0xF) | ((qh >>> j) & 1) << 4) * x[xo + j]
                 + ((b >>> 4) | ((qh >>> (j + 16)) & 1) << 4) * x[xo + j + 16];
            sx += x[xo + j] + x[xo + j + 16];
        }
        return acc * Le.f16(s, off) + sx * Le.f16(s, off + 2);
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        float[] dm = new float[2];
        ScaleSearch.affine(x, xo, 32, w, wo, 31, false, true, dm);
        float d = Le.roundF16(dm[0]), m = Le.roundF16(dm[1]);
        float id = d == 0 ? 0 : 1 / d;
        Le.putF16(dst, off, d);
        Le.putF16(dst, off + 2, m);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = ScaleSearch.clamp(Math.round((x[xo + j] - m) * id), 0, 31);
            int hi = ScaleSearch.clamp(Math.round((x[xo + j + 16] - m) * id), 0, 31);
            Le.putU8(dst, off + 8 + j, (lo & 0xF) | (hi & 0xF) << 4);
            qh |= (lo >>> 4) << j | (hi >>> 4) << (j + 16);
        }
        dst.set(Le.I32, off + 4, qh);
    }
}
