package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q8_0: 32 weights, one fp16 scale, 8.5 bits per weight. x = d·q.
 * <pre>
 * byte  0      2                                        34
 *       +------+----------------------------------------+
 *       | d    | q[0] q[1] ... q[31]   (int8 each)      |
 *       | fp16 |                                        |
 *       +------+----------------------------------------+
 * </pre>
 * RTN: d = max|x|/127, q = round(x/d).
 */
final class Q8_0Format extends BlockCodec {
    Q8_0Format() { super(GgmlType.Q8_0); }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off);
        for (int j = 0; j < 32; j++) dst[o + j] = d * s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 2 + j);
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        float acc = 0;
        for (int j = 0; j < 32; j++) acc += s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 2 + j) * x[xo + j];
        return acc * Le.f16(s, off);
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        float amax = Math.abs(ScaleSearch.signedAbsMax(x, xo, 32));
        float d = amax / 127;
        if (w != null) d = ScaleSearch.symmetric(x, xo, 32, w, wo, -127, 127, d, true);
        // RTN rounds with the exact scale; the search already evaluated its candidates with the stored one
        float dq = w == null ? d : Le.roundF16(d);
        float id = dq == 0 ? 0 : 1 / dq;
        Le.putF16(dst, off, d);
        for (int j = 0; j < 32; j++) Le.putU8(dst, off + 2 + j, ScaleSearch.clamp(Math.round(x[xo + j] * id), -127, 127));
    }
}
