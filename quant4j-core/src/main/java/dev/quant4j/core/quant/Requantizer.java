package dev.quant4j.core.quant;

/**
 * Requantization of an int32 accumulator (of {@code sum (qa - za)(qb - zb)}, real scale
 * {@code sa * sb}) to an 8-bit output of scale {@code sy} and zero-point {@code zy}:
 *
 * <pre>
 *   y = clamp(zy + round(acc * M), qmin, qmax)    M = sa * sb / sy as a FixedPointMultiplier
 * </pre>
 *
 * The scalar and bulk forms use the gemmlowp/TFLite rounding ({@link FixedPointMultiplier#apply});
 * see there for how it rounds and how often it differs by one from exact rounding.
 */
public final class Requantizer {
    private Requantizer() {}

    /** The real multiplier {@code sa * sb / sy} computed in float64, checked. */
    public static double realMultiplier(float sa, float sb, float sy) {
        for (float s : new float[] {sa, sb, sy}) {
            if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("scale " + s + " must be finite and > 0");
        }
        return (double) sa * sb / sy;
    }

    public static int requantize(int acc, FixedPointMultiplier m, int zeroPoint, int qmin, int qmax) {
        return (int) Math.clamp((long) m.apply(acc) + zeroPoint, qmin, qmax);
    }

    /** Requantizes to the range of {@code spec} (INT8/UINT8 typically; narrow/reduced range honoured). */
    public static int requantize(int acc, FixedPointMultiplier m, int zeroPoint, QuantSpec spec) {
        return requantize(acc, m, zeroPoint, spec.qmin(), spec.qmax());
    }

    /**
     * Bulk form for a row-major [rows, cols] accumulator with one multiplier per column (per output
     * channel) or a single one ({@code ms.length == 1}); writes the codes as bytes (two's complement
     * for signed types, 0..255 for UINT8).
     */
    public static void requantize(int[] acc, int rows, int cols, FixedPointMultiplier[] ms, int zeroPoint,
                                  QuantSpec spec, byte[] out) {
        if ((long) rows * cols != acc.length || out.length != acc.length) {
            throw new IllegalArgumentException("accumulator " + acc.length + " / output " + out.length
                    + " do not match " + rows + " x " + cols);
        }
        if (ms.length != 1 && ms.length != cols) {
            throw new IllegalArgumentException(ms.length + " multipliers for " + cols + " columns");
        }
        if (spec.type().bits() != 8) throw new IllegalArgumentException("byte output needs an 8-bit type, not " + spec.type());
        int qmin = spec.qmin(), qmax = spec.qmax();
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++, i++) {
                out[i] = (byte) requantize(acc[i], ms[ms.length == 1 ? 0 : c], zeroPoint, qmin, qmax);
            }
        }
    }
}
