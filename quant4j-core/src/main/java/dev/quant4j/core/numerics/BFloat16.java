package dev.quant4j.core.numerics;

import java.util.Objects;

/**
 * bfloat16 (ONNX BFLOAT16) conversions: the upper 16 bits of a float32.
 *
 * <pre>
 *   bit 15 | 14 ......... 7 | 6 ........... 0
 *   sign   | exponent (bias 127, as float32) | mantissa (7 bits)
 * </pre>
 *
 * Float to bfloat16 rounds to nearest, ties to even, by adding {@code 0x7FFF + lsb} to the float bits
 * before truncating: a carry out of the mantissa correctly moves to the next binade, and the
 * largest finite floats round to ±Inf as IEEE rounding requires. NaN cannot go through that
 * addition (a NaN with only low mantissa bits would truncate to Inf), so NaN keeps its sign and
 * top mantissa bits and gets the quiet bit (0x0040) set.
 */
public final class BFloat16 {
    private BFloat16() {}

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    public static float toFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    public static void fromFloat(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) dst[dstOff + i] = fromFloat(src[srcOff + i]);
    }

    public static void toFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) dst[dstOff + i] = toFloat(src[srcOff + i]);
    }

    /** Rounds {@code f} to the nearest bfloat16 value and back. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }
}
