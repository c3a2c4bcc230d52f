package dev.quant4j.report;

/**
 * One decision of the automatic precision search, in the order taken.
 *
 * @param action   e.g. "start", "revert", "keep", "speed-gate"
 * @param node     the node acted on, empty for whole-model steps
 * @param from     precision before the step
 * @param to       precision after the step
 * @param metric   the metric measured after the step, null when not measured
 * @param accepted whether the step was kept
 * @param reason   why it was taken or rejected
 */
public record SearchStep(int step, String action, String node, String from, String to, Double metric,
                         boolean accepted, String reason) {
    public SearchStep {
        Check.text(action, "action");
        node = Check.optionalText(node);
        from = Check.optionalText(from);
        to = Check.optionalText(to);
        Check.optionalFinite(metric, "metric");
        reason = Check.optionalText(reason);
    }
}
