package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: 32 weights, one fp16 scale, 5.5 bits per weight. x = d·(q − 16), q ∈ [0, 31].
 * <pre>
 * byte  0      2              6                        22
 *       +------+--------------+------------------------+
 *       | d    | qh (uint32,  | qs[0] ... qs[15]       |
 *       | fp16 | little-end.) |                        |
 *       +------+--------------+------------------------+
 * qs[j]  = (q[j] &amp; 15) | (q[j+16] &amp; 15) &lt;&lt; 4
 * qh bit j      = bit 4 of q[j]        (j = 0..15)
 * qh bit j + 16 = bit 4 of q[j+16]
 * </pre>
 * RTN: d = −v/16 where v is the weight of largest magnitude.
 */
final class Q5_0Format extends BlockCodec {
    Q5_0Format() { super(GgmlType.Q5_0); }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off);
        int qh = s.get(Le.I32, off + 2);
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 6 + j);
            dst[o + j] = d * (((b & 0xF) | ((qh >>> j) & 1) << 4) - 16);
            dst[o + j + 16] = d * (((b >>> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16);
        }
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        int qh = s.get(Le.I32, off + 2);
        float acc = 0;
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 6 + j);
            acc += (((b & 0xF) | ((qh >>> j) & 1) << 4) - 16) * x[xo + j]
                 + (((b >>> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16) * x[xo + j + 16];
        }
        return acc * Le.f16(s, off);
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        float d = ScaleSearch.signedAbsMax(x, xo, 32) / -16 + 0f; // + 0f: an all-zero block stores +0, not -0
        if (w != null) d = ScaleSearch.symmetric(x, xo, 32, w, wo, -16, 15, d, true);
        float dq = w == null ? d : Le.roundF16(d);
        float id = dq == 0 ? 0 : 1 / dq;
        Le.putF16(dst, off, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = ScaleSearch.clamp(Math.round(x[xo + j] * id), -16, 15) + 16;
            int hi = ScaleSearch.clamp(Math.round(x[xo + j + 16] * id), -16, 15) + 16;
            Le.putU8(dst, off + 6 + j, (lo & 0xF) | (hi & 0xF) << 4);
            qh |= (lo >>> 4) << j | (hi >>> 4) << (j + 16);
        }
        dst.set(Le.I32, off + 2, qh);
    }
}
