/**
 * Calibration observers: bounded in memory and mergeable, per tensor or per channel.
 * {@link dev.quant4j.core.calibration.MinMaxObserver},
 * {@link dev.quant4j.core.calibration.MovingAverageMinMaxObserver} and
 * {@link dev.quant4j.core.calibration.HistogramObserver} with a
 * {@link dev.quant4j.core.calibration.HistogramRange}: percentile, entropy (KL) or MSE. Observers are
 * not thread-safe: use one per thread (or per data shard) and {@code merge} them.
 */
package dev.quant4j.core.calibration;
