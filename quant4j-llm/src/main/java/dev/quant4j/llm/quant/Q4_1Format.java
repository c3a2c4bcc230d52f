package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q4_1: 32 weights, fp16 scale and fp16 offset, 5 bits per weight. x = d·q + m, q ∈ [0, 15].
 * <pre>
 * byte  0      2      4                                 20
 *       +------+------+---------------------------------+
 *       | d    | m    | qs[0] ... qs[15]                |
 *       +------+------+---------------------------------+
 * qs[j] = q[j] | q[j+16] &lt;&lt; 4
 * </pre>
 * RTN: m = min(x), d = (max − min)/15.
 */
final class Q4_1Format extends BlockCodec {
    Q4_1Format() { super(GgmlType.Q4_1); }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off), m = Le.f16(s, off + 2);
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 4 + j);
            dst[o + j] = d * (b & 0xF) + m;
            dst[o + j + 16] = d * (b >>> 4) + m;
        }
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        float acc = 0, sx = 0;
        for (int j = 0; j < 16; j++) {
            int b = Le.u8(s, off + 4 + j);
            acc += (b & 0xF) * x[xo + j] + (b >>> 4) * x[xo + j + 16];
            sx += x[xo + j] + x[xo + j + 16];
        }
        return acc * Le.f16(s, off) + sx * Le.f16(s, off + 2);
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        float[] dm = new float[2];
        ScaleSearch.affine(x, xo, 32, w, wo, 15, false, true, dm);
        float d = Le.roundF16(dm[0]), m = Le.roundF16(dm[1]);
        float id = d == 0 ? 0 : 1 / d;
        Le.putF16(dst, off, d);
        Le.putF16(dst, off + 2, m);
        for (int j = 0; j < 16; j++) {
            int lo = ScaleSearch.clamp(Math.round((x[xo + j] - m) * id), 0, 15);
            int hi = ScaleSearch.clamp(Math.round((x[xo + j + 16] - m) * id), 0, 15);
            Le.putU8(dst, off + 4 + j, lo | hi << 4);
        }
    }
}
