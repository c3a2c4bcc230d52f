package dev.quant4j.report;

/**
 * One model the automatic precision search measured.
 *
 * @param label      e.g. "all int8", "step 3: conv1 -> fp32"
 * @param sizeBytes  the candidate's size on disk
 * @param latencyMs  its measured median latency, null when not timed
 * @param metric     its task metric on the held-out data
 * @param meetsBound whether the metric meets the --max-drop bound
 * @param chosen     the search returned this candidate
 */
public record SearchCandidate(String label, long sizeBytes, Double latencyMs, double metric, boolean meetsBound,
                              boolean chosen) {
    public SearchCandidate {
        Check.text(label, "label");
        Check.nonNegative(sizeBytes, "sizeBytes");
        Check.optionalFinite(latencyMs, "latencyMs");
        Check.finite(metric, "metric");
    }
}
