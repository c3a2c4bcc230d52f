package dev.quant4j.report;

/**
 * What was done to one tensor and why (provenance).
 *
 * @param rule   the policy rule or search step that decided it
 * @param reason e.g. "sensitivity: -2.1 points alone", "speed gate: 0.8x"
 */
public record TensorDecision(String tensor, String precision, String rule, String reason) {
    public TensorDecision {
        Check.text(tensor, "tensor");
        Check.text(precision, "precision");
        rule = Check.optionalText(rule);
        reason = Check.optionalText(reason);
    }
}
