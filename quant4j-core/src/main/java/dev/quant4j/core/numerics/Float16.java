package dev.quant4j.core.numerics;

import java.util.Objects;

/**
 * IEEE 754 binary16 ("half", ONNX FLOAT16) conversions.
 *
 * <pre>
 *   bit 15 | 14 ......... 10 | 9 .................. 0
 *   sign   | exponent (bias 15) | mantissa (10 bits)
 * </pre>
 *
 * Float to half rounds to nearest, ties to even; overflow gives ±Inf and NaN stays NaN (IEEE
 * behaviour, which is what ONNX Cast specifies for FLOAT16). The JDK's
 * {@link Float#floatToFloat16} implements exactly that; the test suite checks it against an
 * independent float64 computation of the half grid rather than trusting it.
 */
public final class Float16 {
    private Float16() {}

    /** Largest finite half value, 65504. */
    public static final float MAX = 65504f;

    /** The half bits nearest to {@code f} (ties to even). */
    public static short fromFloat(float f) {
        return Float.floatToFloat16(f);
    }

    /** The exact float value of half bits {@code h}. */
    public static float toFloat(short h) {
        return Float.float16ToFloat(h);
    }

    /** Converts {@code n} floats from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void fromFloat(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.floatToFloat16(src[srcOff + i]);
    }

    /** Converts {@code n} halves from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void toFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
    }

    /** Rounds {@code f} to the nearest half value and back (a float16 "fake cast"). */
    public static float round(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }
}
