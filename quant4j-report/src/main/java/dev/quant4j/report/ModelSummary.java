package dev.quant4j.report;

import java.util.List;

/**
 * One model the report compares.
 *
 * @param label      how the other sections refer to it: "fp32", "int8", "auto", ...; the first model of a report is
 *                   the reference the others are compared with
 * @param file       the model's file name (from the user: escaped when shown)
 * @param sizeBytes  the file's size on disk (including external data)
 * @param precisions parameters per precision
 */
public record ModelSummary(String label, String file, long sizeBytes, List<PrecisionShare> precisions) {
    public ModelSummary {
        Check.text(label, "label");
        file = Check.optionalText(file);
        Check.nonNegative(sizeBytes, "sizeBytes");
        precisions = Check.list(precisions);
    }
}
