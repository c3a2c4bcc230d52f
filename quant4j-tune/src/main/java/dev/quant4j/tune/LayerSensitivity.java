package dev.quant4j.tune;

import dev.quant4j.quantize.Precision;

/**
 * One layer's row of a sensitivity table.
 *
 * @param weightSqnrDb  10·log10(Σw² / Σ(w − w_q)²) of the weight the quantized model computes with (read back from it); NaN without a weight
 * @param outputSqnrDb  SQNR of the layer's output with only this layer quantized, against fp32 activations on calibration samples
 * @param weight        range statistics of the float weight
 * @param activation    range statistics of the layer's float input activation on calibration samples
 * @param metricOnly    task metric with only this layer quantized
 * @param dropOnly      metric drop (positive = worse) with only this layer quantized
 * @param metricAllBut  task metric with every other listed layer quantized and this one fp32 (NaN when not measured)
 * @param recovery      how much keeping only this layer in fp32 recovers of the all-quantized drop (all-quantized drop − drop with all but this layer); NaN when not measured
 * @param bytesSaved    weight bytes saved by quantizing this layer alone (tensor bytes read by nodes, measured on the quantized model)
 * @param applied       false when the quantizers did not apply the precision to this node (then {@code note} says why)
 */
public record LayerSensitivity(String node, String opType, Precision precision, double weightSqnrDb, double outputSqnrDb,
                               RangeStats weight, RangeStats activation, double metricOnly, double dropOnly,
                               double metricAllBut, double recovery, long bytesSaved, boolean applied, String note) {}
