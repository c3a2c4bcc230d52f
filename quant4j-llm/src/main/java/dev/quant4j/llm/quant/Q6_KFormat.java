package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Q6_K: super-blocks of 256 weights = 16 sub-blocks of 16, 6.5625 bits per weight.
 * x = d·sc[s]·(q − 32), q ∈ [0, 63], sc int8, s = i/16.
 * <pre>
 * byte  0                 128               192            208    210
 *       +-----------------+-----------------+--------------+------+
 *       | ql[0..127]      | qh[0..63]       | sc[0..15]    | d    |
 *       | low 4 bits      | high 2 bits     | int8         | fp16 |
 *       +-----------------+-----------------+--------------+------+
 * half h = 0..1 covers weights 128h .. 128h+127 with ql[64h..], qh[32h..]; l = 0..31:
 *   weight 128h + l      : low = ql[64h+l]    &amp; 15, high = qh[32h+l] bits 0-1
 *   weight 128h + l + 32 : low = ql[64h+l+32] &amp; 15, high = qh[32h+l] bits 2-3
 *   weight 128h + l + 64 : low = ql[64h+l]    &gt;&gt; 4, high = qh[32h+l] bits 4-5
 *   weight 128h + l + 96 : low = ql[64h+l+32] &gt;&gt; 4, high = qh[32h+l] bits 6-7
 *   q = low | high &lt;&lt; 4
 * </pre>
 * RTN: per sub-block scale v/−32 (v the weight of largest magnitude); the super-scale d maps the
 * sub-block scale of largest magnitude to −128.
 */
final class Q6_KFormat extends BlockCodec {
    Q6_KFormat() { super(GgmlType.Q6_K); }

    static int q(MemorySegment s, long off, int i) {
        int h = i >>> 7, r = i & 127, k = r >>> 5, l = r & 31;
        int lowByte = Le.u8(s, off + 64 * h + l + (k & 1) * 32);
        int low = (k < 2) ? lowByte & 0xF : lowByte >>> 4;
        int high = (Le.u8(s, off + 128 + 32 * h + l) >>> (2 * k)) & 3;
        return low | high << 4;
    }

    @Override void decodeBlock(MemorySegment s, long off, float[] dst, int o) {
        float d = Le.f16(s, off + 208);
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int a = Le.u8(s, off + 64 * h + l), b = Le.u8(s, off + 64 * h + l + 32);
                int hb = Le.u8(s, off + 128 + 32 * h + l);
                int base = 128 * h + l;
                dst[o + base] = d * sc(s, off, base) * (((a & 0xF) | (hb & 3) << 4) - 32);
                dst[o + base + 32] = d * sc(s, off, base + 32) * (((b & 0xF) | ((hb >>> 2) & 3) << 4) - 32);
                dst[o + base + 64] = d * sc(s, off, base + 64) * (((a >>> 4) | ((hb >>> 4) & 3) << 4) - 32);
                dst[o + base + 96] = d * sc(s, off, base + 96) * (((b >>> 4) | (hb >>> 6) << 4) - 32);
            }
        }
    }

    private static int sc(MemorySegment s, long off, int i) {
        return s.get(ValueLayout.JAVA_BYTE, off + 192 + (i >>> 4));
    }

    @Override float dotBlock(MemorySegment s, long off, float[] x, int xo) {
        float acc = 0;
        for (int sb = 0; sb < 16; sb++) {
            float part = 0;
            for (int j = 0; j < 16; j++) part += (q(s, off, 16 * sb + j) - 32) * x[xo + 16 * sb + j];
            acc += sc(s, off, 16 * sb) * part;
        }
        return acc * Le.f16(s, off + 208);
    }

    @Override void encodeBlock(float[] x, int xo, float[] w, int wo, MemorySegment dst, long off) {
        float[] sd = new float[16];
        float maxScale = 0;
        for (int sb = 0; sb < 16; sb++) {
            sd[sb] = ScaleSearch.signedAbsMax(x, xo + 16 * sb, 16) / -32;
            if (w != null) sd[sb] = ScaleSearch.symmetric(x, xo + 16 * sb, 16, w, wo + 16 * sb, -32, 31, sd[sb], false);
            if (Math.abs(sd[sb]) > Math.abs(maxScale)) maxScale = sd[sb];
        }
        Le.putF16(dst, off + 208, maxScale / -128 + 0f); // + 0f: an all-zero block stores +0, not -0
        float d = Le.f16(dst, off + 208);
        int[] q = new int[256];
        for (int sb = 0; sb < 16; sb++) {
            int sc = d != 0 ? ScaleSearch.clamp(Math.round(sd[sb] / d), -128, 127) : 0;
            dst.set(ValueLayout.JAVA_BYTE, off + 192 + sb, (byte) sc);
            float eff = d * sc;
            for (int j = 0; j < 16; j++) {
                int i = 16 * sb + j;
                q[i] = (eff != 0 ? ScaleSearch.clamp(Math.round(x[xo + i] / eff), -32, 31) : 0) + 32;
            }
        }
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int b = 128 * h + l;
                int q1 = q[b], q2 = q[b + 32], q3 = q[b + 64], q4 = q[b + 96];
                Le.putU8(dst, off + 64 * h + l, (q1 & 0xF) | (q3 & 0xF) << 4);
                Le.putU8(dst, off + 64 * h + l + 32, (q2 & 0xF) | (q4 & 0xF) << 4);
                Le.putU8(dst, off + 128 + 32 * h + l, (q1 >>> 4) | (q2 >>> 4) << 2 | (q3 >>> 4) << 4 | (q4 >>> 4) << 6);
            }
        }
    }
}
