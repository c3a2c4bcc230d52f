package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line's part of a written model's provenance (design note 4): tool version, the
 * settings of the run and the calibration data's SHA-256, in metadata key {@code quant4j.run};
 * each pass adds its own per-node decisions ({@code quant4j.quantization.*}).
 */
final class RunRecord {
    static final String KEY = "quant4j.run";

    private RunRecord() {}

    static void record(Model m, QuantizeCommand c, Ptq.Outcome o) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "quant4j " + version());
        r.put("command", "quantize");
        r.put("mode", c.mode == null ? "policy" : c.mode.id());
        if (c.policyFile != null) r.put("policy", c.policyFile.getFileName().toString());
        r.put("calibrationMethod", c.calib.method.id());
        r.put("activations", c.calib.activations.toString());
        r.put("perChannel", c.perChannel);
        r.put("weightBits", c.bits);
        r.put("blockSize", c.blockSize);
        r.put("foldedBatchNorms", o.foldedBatchNorms());
        if (o.calibrationSha256() != null) {
            r.put("calibrationSamples", o.calibrationSamples());
            r.put("calibrationSha256", o.calibrationSha256());
        }
        m.metadata().put(KEY, Json.write(r));
    }

    static String version() {
        try {
            return VersionProvider.version();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
