package dev.quant4j.report;

/**
 * Latency and throughput of one model on one engine, from timed runs on this machine.
 *
 * @param model           label of the model (a {@link ModelSummary#label()})
 * @param engine          e.g. "quant4j", "onnxruntime"
 * @param runs            timed runs after warm-up
 * @param p50Ms           median latency of one inference, milliseconds
 * @param throughputPerS  inferences per second
 * @param peakMemoryBytes peak memory while running, null when not measured
 */
public record LatencyRow(String model, String engine, int runs, double p50Ms, double p90Ms, double p99Ms,
                         double throughputPerS, Long peakMemoryBytes) {
    public LatencyRow {
        Check.text(model, "model");
        Check.text(engine, "engine");
        Check.nonNegative(runs, "runs");
        Check.finite(p50Ms, "p50Ms");
        Check.finite(p90Ms, "p90Ms");
        Check.finite(p99Ms, "p99Ms");
        Check.finite(throughputPerS, "throughputPerS");
        if (!(p50Ms <= p90Ms && p90Ms <= p99Ms))
            throw new IllegalArgumentException("percentiles out of order: p50 " + p50Ms + ", p90 " + p90Ms + ", p99 " + p99Ms);
        if (peakMemoryBytes != null) Check.nonNegative(peakMemoryBytes, "peakMemoryBytes");
    }
}
