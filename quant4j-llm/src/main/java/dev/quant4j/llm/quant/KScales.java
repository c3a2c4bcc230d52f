package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale field of Q4_K and Q5_K: eight 6-bit sub-block scales sc[0..7] and eight
 * 6-bit mins mn[0..7].
 * <pre>
 * byte j   (j = 0..3):  bits 0-5 sc[j]      bits 6-7 = bits 4-5 of sc[j+4]
 * byte j+4 (j = 0..3):  bits 0-5 mn[j]      bits 6-7 = bits 4-5 of mn[j+4]
 * byte j+8 (j = 0..3):  bits 0-3 = bits 0-3 of sc[j+4],  bits 4-7 = bits 0-3 of mn[j+4]
 * </pre>
 * A weight of sub-block s decodes as d·sc[s]·q − dmin·mn[s], with d and dmin the block's fp16 scales.
 */
final class KScales {
    private KScales() {}

    static int scale(MemorySegment s, long off, int j) {
        return j < 4 ? Le.u8(s, off + j) & 63
                     : (Le.u8(s, off + j + 4) & 0xF) | (Le.u8(s, off + j - 4) >>> 6) << 4;
    }

    static int min(MemorySegment s, long off, int j) {
        return j < 4 ? Le.u8(s, off + j + 4) & 63
                     : (Le.u8(s, off + j + 4) >>> 4) | (Le.u8(s, off + j) >>> 6) << 4;
    }

    static void pack(int[] sc, int[] mn, MemorySegment s, long off) {
        for (int j = 0; j < 4; j++) {
            Le.putU8(s, off + j, sc[j] | (sc[j + 4] >>> 4) << 6);
            Le.putU8(s, off + j + 4, mn[j] | (mn[j + 4] >>> 4) << 6);
            Le.putU8(s, off + j + 8, (sc[j + 4] & 0xF) | (mn[j + 4] & 0xF) << 4);
        }
    }

    /**
     * Encodes a 256-weight super-block as 8 affine sub-blocks of 32 with q ∈ [0, qmax]: chooses
     * each sub-block's scale and min (RTN from its range, or the weighted search of
     * {@link ScaleSearch#affine}), quantizes them to 6 bits against the fp16 super-scales
     * d = max(scale)/63 and dmin = max(min)/63, writes d, dmin and the scale field at {@code off},
     * and returns the final q of every weight, rounded with the 6-bit scales actually stored.
     */
    static int[] encode(float[] x, int xo, float[] w, int wo, int qmax, MemorySegment dst, long off) {
        float[] sd = new float[8], sm = new float[8], dm = new float[2];
        float maxD = 0, maxM = 0;
        for (int s = 0; s < 8; s++) {
            ScaleSearch.affine(x, xo + 32 * s, 32, w, wo + 32 * s, qmax, true, false, dm);
            sd[s] = dm[0];
            sm[s] = -dm[1];
            maxD = Math.max(maxD, sd[s]);
            maxM = Math.max(maxM, sm[s]);
        }
        Le.putF16(dst, off, maxD / 63);
        Le.putF16(dst, off + 2, maxM / 63);
        float d = Le.f16(dst, off), dmin = Le.f16(dst, off + 2);
        int[] sc = new int[8], mn = new int[8], q = new int[256];
        for (int s = 0; s < 8; s++) {
            sc[s] = d > 0 ? ScaleSearch.clamp(Math.round(sd[s] / d), 0, 63) : 0;
            mn[s] = dmin > 0 ? ScaleSearch.clamp(Math.round(sm[s] / dmin), 0, 63) : 0;
            float eff = d * sc[s], shift = dmin * mn[s];
            for (int l = 0; l < 32; l++) {
                int i = 32 * s + l;
                q[i] = eff > 0 ? ScaleSearch.clamp(Math.round((x[xo + i] + shift) / eff), 0, qmax) : 0;
            }
        }
        pack(sc, mn, dst, off + 4);
        return q;
    }
}
