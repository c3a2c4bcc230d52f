package dev.quant4j.report;

/**
 * One row of the per-layer sensitivity table. Optional measurements are null when not measured.
 *
 * @param node                  the node's name (from the model file: escaped when shown)
 * @param opType                e.g. "Conv", "MatMul"
 * @param precision             the precision this row's quantization used, e.g. "int8"
 * @param weightSqnrDb          signal-to-quantization-noise ratio of the weights, dB
 * @param outputSqnrDb          SQNR of the layer's output against fp32 activations, dB
 * @param metricDeltaOnlyThis   task-metric change when only this layer is quantized
 * @param metricDeltaAllButThis task-metric change when every layer but this one is quantized
 * @param absMax                largest absolute weight
 * @param outlierRatio          max / p99.9 of absolute weights (large = outliers stretch the grid)
 * @param floatBytes            bytes of this layer's weights in fp32
 * @param quantizedBytes        bytes of this layer's weights quantized
 * @param speedup               measured float time / quantized time on the target engine
 */
public record LayerSensitivity(String node, String opType, String precision, Double weightSqnrDb, Double outputSqnrDb,
                               Double metricDeltaOnlyThis, Double metricDeltaAllButThis, Double absMax,
                               Double outlierRatio, long floatBytes, long quantizedBytes, Double speedup) {
    public LayerSensitivity {
        Check.text(node, "node");
        opType = Check.optionalText(opType);
        precision = Check.optionalText(precision);
        Check.optionalFinite(weightSqnrDb, "weightSqnrDb");
        Check.optionalFinite(outputSqnrDb, "outputSqnrDb");
        Check.optionalFinite(metricDeltaOnlyThis, "metricDeltaOnlyThis");
        Check.optionalFinite(metricDeltaAllButThis, "metricDeltaAllButThis");
        Check.optionalFinite(absMax, "absMax");
        Check.optionalFinite(outlierRatio, "outlierRatio");
        Check.nonNegative(floatBytes, "floatBytes");
        Check.nonNegative(quantizedBytes, "quantizedBytes");
        Check.optionalFinite(speedup, "speedup");
    }
}
