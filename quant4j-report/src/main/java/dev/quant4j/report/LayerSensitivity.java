package dev.quant4j.report;

/**
 * One row of the per-layer sensitivity table. Optional measurements are null when not measured.
 *
 * @param node                  the node's name (from the model file: escaped when shown)
 * @param opType                e.g. "Conv", "MatMul"
 * @param precision             the precision this row's quantization used, e.g. "int8"
 * @param weightSqnrDb          signal-to-quantization-noise ratio of the weights, dB (+infinity when exact)
 * @param outputSqnrDb          SQNR of the layer's output against fp32 activations, dB (+infinity when exact)
 * @param metricDeltaOnlyThis   task-metric change (candidate - reference, in the metric's own units and
 *                              direction) when only this layer is quantized
 * @param metricDeltaAllButThis task-metric change when every layer but this one is quantized
 * @param weightRange           range and outliers of the weights
 * @param activationRange       range and outliers of the layer's input activations
 * @param floatBytes            bytes of this layer's weights in fp32
 * @param quantizedBytes        bytes of this layer's weights quantized (floatBytes - bytes saved)
 * @param speedup               measured float time / quantized time on the target engine
 */
public record LayerSensitivity(String node, String opType, String precision, Double weightSqnrDb, Double outputSqnrDb,
                               Double metricDeltaOnlyThis, Double metricDeltaAllButThis, ValueRange weightRange,
                               ValueRange activationRange, long floatBytes, long quantizedBytes, Double speedup) {
    public LayerSensitivity {
        Check.text(node, "node");
        opType = Check.optionalText(opType);
        precision = Check.optionalText(precision);
        Check.optionalSqnr(weightSqnrDb, "weightSqnrDb");
        Check.optionalSqnr(outputSqnrDb, "outputSqnrDb");
        Check.optionalFinite(metricDeltaOnlyThis, "metricDeltaOnlyThis");
        Check.optionalFinite(metricDeltaAllButThis, "metricDeltaAllButThis");
        Check.nonNegative(floatBytes, "floatBytes");
        Check.nonNegative(quantizedBytes, "quantizedBytes");
        Check.optionalFinite(speedup, "speedup");
    }
}
