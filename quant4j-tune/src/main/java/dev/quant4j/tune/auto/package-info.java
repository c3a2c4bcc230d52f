/**
 * Choosing precisions automatically, and saying what was done.
 *
 * <ul>
 *   <li>{@link dev.quant4j.tune.auto.AutoPrecision}: per-layer precisions under a bound on the task
 *       metric ({@link dev.quant4j.tune.auto.MetricBound}) for an {@link dev.quant4j.tune.auto.Objective},
 *       every candidate measured on held-out data ({@link dev.quant4j.tune.auto.TaskMeasurer}); the
 *       decision path and Pareto fronts come back in a {@link dev.quant4j.tune.auto.SearchResult}.
 *   <li>{@link dev.quant4j.tune.auto.SpeedGate}: each layer alone ({@link dev.quant4j.tune.auto.LayerForms},
 *       {@link dev.quant4j.tune.auto.SingleNodeModel}) timed quantized vs float on the target engine;
 *       whole models before/after side by side ({@link dev.quant4j.tune.auto.SideBySide}).
 *   <li>{@link dev.quant4j.tune.auto.Deployability}: whether each quantized node runs, and runs fast, on an engine.
 *   <li>{@link dev.quant4j.tune.auto.Provenance}: what was done to each tensor and why, the calibration
 *       data's SHA-256, tool version, settings and measured deltas, inside the output model.
 * </ul>
 */
package dev.quant4j.tune.auto;
