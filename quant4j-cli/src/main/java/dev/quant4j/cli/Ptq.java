package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Calibrator;
import dev.quant4j.quantize.DynamicQuantizer;
import dev.quant4j.quantize.PolicyQuantizer;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The command line's side of {@link PolicyQuantizer}: its options from the command's settings, and
 * static ranges from a ranges file or calibrated on the data (with progress and a digest of what was fed).
 */
final class Ptq {
    /**
     * @param perChannel per-channel weights for static and dynamic INT8
     * @param activations static activation type: UINT8 (with 7-bit weights, exact on x86 without VNNI), INT8, UINT16, INT16
     */
    record Settings(int blockSize, boolean symmetricBlocks, WeightOnlyQuantizer.Format format, boolean perChannel, DataType activations,
                    boolean foldBatchNorm, int batch, boolean quantizeOutputs) {}

    /** What was done. {@code calibrationSha256} digests the calibration inputs exactly as fed (null without calibration). */
    record Outcome(List<QuantizationReport> reports, int foldedBatchNorms, int calibrationSamples, String calibrationSha256) {}

    private Ptq() {}

    static boolean needsCalibration(Model m, PrecisionPolicy policy) {
        return PolicyQuantizer.precisionsAsked(m, policy).contains(Precision.INT8_STATIC);
    }

    /** The quantizers' options these settings give (fp16 weights may keep up to half their values subnormal). */
    static PolicyQuantizer.Options options(Settings s) {
        boolean symmetric = s.activations() == DataType.INT8 || s.activations() == DataType.INT16;
        return new PolicyQuantizer.Options(s.foldBatchNorm(),
                new StaticQdqQuantizer.Options(s.activations(), symmetric, s.perChannel(), s.activations() == DataType.UINT8).withQuantizedOutputs(s.quantizeOutputs()),
                new DynamicQuantizer.Options(s.perChannel(), true), new WeightOnlyQuantizer.Options(s.blockSize(), s.symmetricBlocks(), s.format()), 0.5);
    }

    /**
     * Quantizes {@code model} in place.
     *
     * @param calibration samples for the static ranges, or null when {@code ranges} are given or nothing is static
     * @param ranges      activation ranges read from a {@code quant4j calibrate} file, or null
     */
    static Outcome apply(Model model, PrecisionPolicy policy, Settings s, SampleData calibration, Supplier<Observer> observer,
                         Map<String, Observer> ranges) {
        Calibration[] done = {null};
        PolicyQuantizer.Ranges source = ranges != null ? PolicyQuantizer.Ranges.fixed(ranges) : (folded, values) -> {
            done[0] = calibrate(folded, values, calibration, observer, s.batch());
            return done[0].observers();
        };
        PolicyQuantizer.Result r = PolicyQuantizer.apply(model, policy, options(s), source);
        Calibration c = done[0];
        return new Outcome(r.reports(), r.foldedBatchNorms(), c == null ? 0 : c.samples(), c == null ? null : c.sha256());
    }

    /** Observers per value after streaming {@code data} through the float model, and a digest of what was fed. */
    record Calibration(Map<String, Observer> observers, int samples, String sha256) {}

    static Calibration calibrate(Model model, Set<String> values, SampleData data, Supplier<Observer> observer, int batch) {
        if (data == null) throw new IllegalStateException("calibration needs data");
        Calibrator c = new Calibrator(model, values, observer);
        MessageDigest sha = sha256();
        try (Progress p = Progress.start("calibrating on " + data.name(), data.size())) {
            for (int from = 0; from < data.size(); from += batch) {
                int to = Math.min(data.size(), from + batch);
                Map<String, Tensor> feeds = data.batch(from, to);
                for (var e : feeds.entrySet()) {
                    sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(e.getValue().data().asByteBuffer());
                }
                c.observe(feeds);
                p.update(to);
            }
        }
        return new Calibration(c.observers(), data.size(), HexFormat.of().formatHex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
