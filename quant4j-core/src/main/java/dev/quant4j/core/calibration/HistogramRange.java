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
        int codes = spec.qmax() - spec.qmin() + 1;
        boolean oneSigned = h.min() >= 0 || h.max() <= 0;
        return !spec.symmetric() && oneSigned ? codes : Math.max(1, codes / 2);
    }

    /** The symmetric range [-t, t] cut down to the data's extremes (and widened to include 0). */
    static float[] clipSymmetric(Histogram h, double t) {
        float lo = (float) Math.max(h.min(), -t), hi = (float) Math.min(h.max(), t);
        return new float[] {Math.min(lo, 0f), Math.max(hi, 0f)};
    }
}
