package dev.quant4j.report;

import java.util.List;
import java.util.Map;

/**
 * How the quantized model was made: tool, settings, calibration data and the per-tensor decisions.
 *
 * @param calibrationSha256 hash of the calibration data, empty when none was used
 * @param settings          command-line or API settings, in the order given
 */
public record Provenance(String tool, String toolVersion, String calibrationSha256, Map<String, String> settings,
                         List<TensorDecision> decisions) {
    public Provenance {
        Check.text(tool, "tool");
        toolVersion = Check.optionalText(toolVersion);
        calibrationSha256 = Check.optionalText(calibrationSha256);
        settings = Check.map(settings);
        decisions = Check.list(decisions);
    }
}
