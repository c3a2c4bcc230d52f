/**
 * Evaluate, explain and choose: a model is run on an engine over held-out data and scored by a task
 * metric; per-layer sensitivity says which layers cost the accuracy; automatic precision searches
 * per-layer precisions under a bound on the metric drop, keeping float where quantization was not
 * measured to pay off.
 */
package dev.quant4j.tune;
