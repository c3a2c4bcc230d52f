package dev.quant4j.report;

/**
 * The values a quantized tensor can take: {@code (q - zeroPoint) * scale} for integer q in [qmin, qmax].
 * Drawn over a histogram it shows how the data falls on the grid and where it is clipped.
 *
 * <pre>
 *   clipped |  |  |  |  |  |  |  |  |  | clipped
 *   --------+--+--+--+--+--+--+--+--+--+--------  real axis
 *          low  ^ scale apart        high
 *               q = zeroPoint sits at 0.0
 * </pre>
 */
public record QuantGrid(double scale, long zeroPoint, long qmin, long qmax) {
    public QuantGrid {
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be > 0: " + scale);
        if (qmin >= qmax) throw new IllegalArgumentException("qmin " + qmin + " >= qmax " + qmax);
    }

    /** The real value of integer level q. */
    public double value(long q) {
        return (q - zeroPoint) * scale;
    }

    /** The smallest representable value (values below are clipped to it). */
    public double low() {
        return value(qmin);
    }

    /** The largest representable value. */
    public double high() {
        return value(qmax);
    }

    public long levels() {
        return qmax - qmin + 1;
    }
}
