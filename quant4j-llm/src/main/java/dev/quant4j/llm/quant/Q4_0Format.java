package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: 32 weights, one fp16 scale, 4.5 bits per weight. x = d·(q − 8), q ∈ [0, 15].
 * <pre>
 * byte  0      2                                 18
 *       +------+---------------------------------+
 *       | d    | qs[0] ... qs[15]                |
 *       +------+---------------------------------+
 * qs[j] = q[j] | q[j+16] &lt;&lt; 4      (low nibbles: weights 0..15, high nibbles: 16..31)
 * </pre>
 * RTN: d = −v/8 where v is the weight of largest magnitude (it maps exactly to q = 0).
 */
final class Q4_0Format extends BlockCodec {
    Q4_0Format() { super(GgmlType.Q4_0); }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off);
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 2 + j);
            dst[o + j] = d * ((b & 0xF) - 8);
            dst[o + j + 16] = d * ((b >>> 4) - 8);
        }
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        float acc = 0;
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 2 + j);
            acc += ((b & 0xF) - 8) * x[xo + j] + ((b >>> 4) - 8) * x[xo + j + 16];
        }
        return acc * Le.f16(s, off);
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        float d = ScaleSearch.signedAbsMax(x, xo, 32) / -8 + 0f; // + 0f: an all-zero block stores +0, not -0
        if (w != null) d = ScaleSearch.symmetric(x, xo, 32, w, wo, -8, 7, d, true);
        float dq = w == null ? d : Le.roundF16(d);
        float id = dq == 0 ? 0 : 1 / dq;
        Le.putF16(dst, off, d);
        for (int j = 0; j < 16; j++) {
            int lo = ScaleSearch.clamp(Math.round(x[xo + j] * id), -8, 7) + 8;
            int hi = ScaleSearch.clamp(Math.round(x[xo + j + 16] * id), -8, 7) + 8;
            Le.putU8(dst, off + 2 + j, lo | hi << 4);
        }
    }
}
