package dev.quant4j.kernels;

import static java.lang.Float.floatToRawIntBits;
import static java.lang.Float.intBitsToFloat;

/**
 * Scalar fp16/bf16 ↔ fp32 conversions on bits; the reference the vector versions must match bit for bit.
 *
 * <pre>
 * binary16:  [15] sign | [14..10] exponent (bias 15) | [9..0] fraction
 * bfloat16:  [15] sign | [14..7]  exponent (bias 127) | [6..0] fraction   (= top half of a float)
 * binary32:  [31] sign | [30..23] exponent (bias 127) | [22..0] fraction
 * </pre>
 * For every non-NaN input the results equal {@link Float#float16ToFloat} and {@link Float#floatToFloat16}
 * (checked exhaustively / on random bits in the tests). NaN handling is fixed here rather than
 * inherited, because the JDK's intrinsic and interpreted paths need not agree on payloads:
 * a NaN becomes a quiet NaN with the same sign and the top fraction bits.
 */
final class HalfFloats {
    private HalfFloats() {}

    /** Float bits of 2^112: rescales a binary16 exponent (bias 15) placed in float position (bias 127). */
    static final float F16_TO_F32_SCALE = 0x1p112f;
    /** Float bits of 0.5, whose ulp is 2^-24, the binary16 subnormal step. */
    static final int HALF_BITS = 0x3F000000;
    /** |x| at or above this (65520, halfway between 65504 and 2^16) rounds to infinity. */
    static final int F16_OVERFLOW = 0x477FF000;
    /** 2^-14, the smallest normal binary16. */
    static final int F16_MIN_NORMAL = 0x38800000;
    static final int REBIAS = (15 - 127) << 23;

    static float f16ToF32(short h) {
        int sign = (h & 0x8000) << 16;
        int em = h & 0x7FFF;
        if (em >= 0x7C00) // Inf or NaN: keep the fraction, force the quiet bit on NaN
            return intBitsToFloat(sign | 0x7F800000 | (em & 0x3FF) << 13 | (em > 0x7C00 ? 0x400000 : 0));
        // Normal and subnormal alike: the exact product rescales the exponent and normalizes subnormals.
        return intBitsToFloat(sign | floatToRawIntBits(intBitsToFloat(em << 13) * F16_TO_F32_SCALE));
    }

    static short f32ToF16(float f) {
        int x = floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int a = x & 0x7FFFFFFF;
        int o;
        if (a > 0x7F800000) o = 0x7E00 | ((a >>> 13) & 0x3FF);
        else if (a >= F16_OVERFLOW) o = 0x7C00;
        else if (a < F16_MIN_NORMAL) o = floatToRawIntBits(intBitsToFloat(a) + 0.5f) - HALF_BITS; // FPU rounds to 2^-24
        else o = (a + REBIAS + 0xFFF + ((a >>> 13) & 1)) >>> 13;                               // round half to even
        return (short) (sign | o);
    }

    static float bf16ToF32(short h) {
        return intBitsToFloat((h & 0xFFFF) << 16);
    }

    static short f32ToBf16(float f) {
        int x = floatToRawIntBits(f);
        if ((x & 0x7FFFFFFF) > 0x7F800000) return (short) ((x >>> 16) | 0x40);
        return (short) ((x + 0x7FFF + ((x >>> 16) & 1)) >>> 16);
    }
}
