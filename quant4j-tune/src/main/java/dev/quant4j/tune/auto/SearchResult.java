package dev.quant4j.tune.auto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.quantize.Precision;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What automatic precision chose and how: the fp32 reference, the chosen candidate (the best one by
 * the objective among those measured to meet the bound), every step of the search, the Pareto
 * fronts of all measured candidates, and a reason per node.
 *
 * @param best          index into {@code steps} of the chosen candidate (0 = the fp32 reference)
 * @param reasons       per node of the chosen plan: which step put it at its precision and why
 * @param notes         what else shaped the search (speed-gate exclusions, an exhausted budget)
 * @param frontBySize   metric drop vs bytes over all measured candidates
 * @param frontByLatency metric drop vs milliseconds
 * @param sideBySide    the reference and the chosen plan timed again, interleaved in one run, after the
 *                      search; null when the reference was chosen or the measurer cannot time side by side
 */
public record SearchResult(MetricBound bound, Objective objective, int best, List<SearchStep> steps,
                           Map<String, String> reasons, List<String> notes,
                           List<ParetoFront.Point> frontBySize, List<ParetoFront.Point> frontByLatency,
                           List<Latency> sideBySide) {

    public Measurement reference() { return steps.get(0).measurement(); }

    public Measurement chosen() { return steps.get(best).measurement(); }

    public Map<String, Precision> plan() { return chosen().plan(); }

    /**
     * The reference's latency to compare the chosen plan's with: from {@link #sideBySide} when there
     * is one, else as measured during the search. Each candidate of the search is timed alone, right
     * after its scoring, so two of them taken minutes apart on a shared machine can differ by more
     * than the quantization changed (the demo once showed ×1.75 slower for int8 where a side-by-side
     * table of the same models gave ×0.92).
     */
    public Latency referenceLatency() { return sideBySide != null ? sideBySide.get(0) : reference().latency(); }

    /** The chosen plan's latency; see {@link #referenceLatency()}. */
    public Latency chosenLatency() { return sideBySide != null ? sideBySide.get(1) : chosen().latency(); }

    public int evaluations() { return steps.size(); }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A table of the steps, one line each. */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%4s %-8s %-6s %12s %26s %12s %10s  %s%n",
                "step", "accepted", "meets", "metric", "drop [95% CI]", "bytes", "ms", "action"));
        for (SearchStep s : steps) {
            Measurement m = s.measurement();
            var d = m.drop();
            b.append(String.format(java.util.Locale.ROOT, "%4d %-8s %-6s %12.5f %10.5f [%6.4f, %6.4f] %12d %10.3f  %s%s%n",
                    s.index(), s.accepted() ? "yes" : "no", s.meets() ? "yes" : "no", m.metric().value(), d.value(), d.ciLow(), d.ciHigh(),
                    m.sizeBytes(), m.latency().medianMs(), s.action(), s.index() == best ? "   <== chosen" : ""));
        }
        return b.toString();
    }
}
