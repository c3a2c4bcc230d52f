package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.QuantSpec;

/**
 * Chooses a clipping range from a histogram. Implementations are records, so that two observers can
 * check they use the same method before merging.
 */
public sealed interface HistogramRange permits PercentileRange, EntropyRange, MseRange {

    /** {min, max} to quantize with; {@code h} is not empty. */
    float[] select(Histogram h, QuantSpec spec);

    /**
     * Levels available to one sign of the data: the whole code range when the data has one sign
     * and the scheme is affine, else half of it (e.g. 128 for INT8).
     */
    static int levels(Histogram h, QuantSpec spec) {
        long codes = (long) integerSpec(spec, "entropy").qmax() - spec.qmin() + 1;
        boolean oneSigned = h.min() >= 0 || h.max() <= 0;
        return (int) Math.min(Integer.MAX_VALUE, !spec.symmetric() && oneSigned ? codes : Math.max(1, codes / 2));
    }

    /** {@code spec}, checked to be an integer spec, for the search methods that need code levels. */
    static QuantSpec integerSpec(QuantSpec spec, String method) {
        if (spec == null || spec.isFloat8()) {
            throw new IllegalArgumentException("the " + method + " range search needs an integer quantization spec, got " + spec);
        }
        return spec;
    }

    /** The symmetric range [-t, t] cut down to the data's extremes (and widened to include 0). */
    static float[] clipSymmetric(Histogram h, double t) {
        float lo = (float) Math.max(h.min(), -t), hi = (float) Math.min(h.max(), t);
        return new float[] {Math.min(lo, 0f), Math.max(hi, 0f)};
    }
}
