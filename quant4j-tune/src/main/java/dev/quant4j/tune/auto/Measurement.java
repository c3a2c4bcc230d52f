package dev.quant4j.tune.auto;

import dev.quant4j.eval.MetricResult;
import dev.quant4j.quantize.Precision;
import java.util.Map;
import java.util.TreeMap;

/**
 * One candidate plan as measured on the held-out data: the task metric with its interval, the
 * metric drop against the fp32 reference on the same samples (its interval from a paired bootstrap,
 * resampling both together), the written model's bytes and its latency on the target engine.
 *
 * @param plan precision per node; nodes not named stay fp32
 * @param drop how much worse than the reference, in the metric's units (positive = worse, whichever
 *             way the metric points); zero for the reference itself
 */
public record Measurement(Map<String, Precision> plan, MetricResult metric, MetricResult drop, long sizeBytes, Latency latency) {
    public Measurement {
        plan = java.util.Collections.unmodifiableMap(new TreeMap<>(plan));
        if (metric == null || drop == null) throw new IllegalArgumentException("a measurement needs the metric and its paired drop");
        if (sizeBytes <= 0) throw new IllegalArgumentException("size must be measured (bytes > 0), got " + sizeBytes);
    }

    /** The number of nodes the plan quantizes (anything but fp32). */
    public long quantizedNodes() { return plan.values().stream().filter(p -> p != Precision.FP32).count(); }
}
