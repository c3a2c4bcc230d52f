package dev.quant4j.report;

/**
 * Whether one quantized node runs, and runs fast, on an engine.
 *
 * @param supported the engine has a kernel for this operator and type combination
 * @param fast      the quantized form was measured faster than the float form; null when not measured (the
 *                  report then says so instead of calling it fast or slow)
 * @param note      why (from the deployability check)
 */
public record DeployabilityRow(String node, String opType, String precision, String engine, boolean supported,
                               Boolean fast, String note) {
    public DeployabilityRow {
        Check.text(node, "node");
        opType = Check.optionalText(opType);
        precision = Check.optionalText(precision);
        Check.text(engine, "engine");
        note = Check.optionalText(note);
    }
}
