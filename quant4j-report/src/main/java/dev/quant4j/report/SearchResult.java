package dev.quant4j.report;

import java.util.List;

/**
 * The automatic precision search: its bound and objective, every candidate measured, and the decision path.
 *
 * @param metric         the task metric searched on
 * @param higherIsBetter direction of the metric
 * @param objective      "smallest" (size) or "fastest" (latency)
 * @param bound          the bound as the user gave it, e.g. "--max-drop 0.5"
 * @param boundValue     the metric value a candidate must reach (or not exceed when lower is better), null if none
 */
public record SearchResult(String metric, boolean higherIsBetter, String objective, String bound, Double boundValue,
                           List<SearchCandidate> candidates, List<SearchStep> path) {
    public SearchResult {
        Check.text(metric, "metric");
        Check.text(objective, "objective");
        if (!objective.equals("smallest") && !objective.equals("fastest"))
            throw new IllegalArgumentException("objective must be smallest or fastest: " + objective);
        bound = Check.optionalText(bound);
        Check.optionalFinite(boundValue, "boundValue");
        candidates = Check.list(candidates);
        path = Check.list(path);
    }

    /** Whether the Pareto front is drawn over latency (fastest) rather than size (smallest). */
    public boolean byLatency() {
        return objective.equals("fastest");
    }
}
