package dev.quant4j.report;

import java.util.List;

/**
 * One decision of the automatic precision search, in the order taken.
 *
 * @param action   what the step tried, e.g. "revert the 4 most harmful layers to fp32", "speed gate"
 * @param changes  the nodes whose precision the step changed
 * @param metric   the metric measured after the step, null when not measured
 * @param meets    whether the measured metric meets the bound
 * @param accepted whether the search continued from this step
 * @param reason   why it was taken or rejected
 */
public record SearchStep(int step, String action, List<PrecisionChange> changes, Double metric, boolean meets,
                         boolean accepted, String reason) {
    public SearchStep {
        Check.text(action, "action");
        changes = Check.list(changes);
        Check.optionalFinite(metric, "metric");
        reason = Check.optionalText(reason);
    }
}
