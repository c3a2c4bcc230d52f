package dev.quant4j.report;

/**
 * Range and outlier statistics of a tensor's values (weights, or activations seen in calibration).
 *
 * @param p001        0.1th percentile, null when not computed
 * @param p999        99.9th percentile, null when not computed
 * @param kurtosis    heavy tails show as large values, null when not computed
 * @param maxOverP999 largest |value| over the 99.9th percentile of |value|: large when a few outliers stretch
 *                    the quantization grid, null when not computed
 */
public record ValueRange(double min, double max, Double p001, Double p999, Double kurtosis, Double maxOverP999) {
    public ValueRange {
        Check.finite(min, "min");
        Check.finite(max, "max");
        if (min > max) throw new IllegalArgumentException("range reversed: [" + min + ", " + max + "]");
        Check.optionalFinite(p001, "p001");
        Check.optionalFinite(p999, "p999");
        Check.optionalFinite(kurtosis, "kurtosis");
        Check.optionalFinite(maxOverP999, "maxOverP999");
    }
}
