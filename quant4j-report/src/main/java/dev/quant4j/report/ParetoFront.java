package dev.quant4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The candidates no other candidate beats on both cost (size or latency, lower is better) and metric.
 * Computed here from the figures, not taken from the search, so the chart shows what the numbers say.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /**
     * Indices (in input order) of the non-dominated candidates. A candidate is dominated when another is no
     * worse on both axes and strictly better on one. Candidates without a latency are left out when
     * {@code byLatency}.
     */
    public static List<Integer> indices(List<SearchCandidate> candidates, boolean byLatency, boolean higherIsBetter) {
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Double ci = cost(candidates.get(i), byLatency);
            if (ci == null) continue;
            double mi = goodness(candidates.get(i), higherIsBetter);
            boolean dominated = false;
            for (int j = 0; j < candidates.size() && !dominated; j++) {
                Double cj = cost(candidates.get(j), byLatency);
                if (j == i || cj == null) continue;
                double mj = goodness(candidates.get(j), higherIsBetter);
                dominated = cj <= ci && mj >= mi && (cj < ci || mj > mi);
            }
            if (!dominated) front.add(i);
        }
        return front;
    }

    static Double cost(SearchCandidate c, boolean byLatency) {
        return byLatency ? c.latencyMs() : Double.valueOf(c.sizeBytes());
    }

    private static double goodness(SearchCandidate c, boolean higherIsBetter) {
        return higherIsBetter ? c.metric() : -c.metric();
    }
}
