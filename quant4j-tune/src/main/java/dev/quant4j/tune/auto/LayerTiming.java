package dev.quant4j.tune.auto;

import dev.quant4j.quantize.Precision;

/**
 * One layer's quantized form timed against its float form, side by side on one engine, on a model
 * holding just that layer with its real input shapes.
 *
 * @param ratio    quantized / float median (thread CPU time when measured, else wall); below 1 is faster
 * @param paysOff  whether the ratio is below the gate's threshold
 * @param reason   the figures behind the verdict, or why the layer could not be timed
 */
public record LayerTiming(String node, String opType, Precision precision, String engine,
                          Latency floatLatency, Latency quantizedLatency, double ratio, boolean paysOff, String reason) {}
