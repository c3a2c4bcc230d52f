package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Calibrator;
import dev.quant4j.quantize.DynamicQuantizer;
import dev.quant4j.quantize.HalfPrecisionWeights;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import dev.quant4j.quantize.ConvBatchNormFolder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs the post-training passes a precision policy asks for, in one call: BatchNormalization folded
 * into its Conv (exact in float) when static quantization is asked for, calibration on the float
 * model, then static QDQ, dynamic, weight-only and FP16/BF16 — each pass touches only the nodes the
 * policy gives its precision, so one policy can mix them.
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

    static Set<Precision> precisionsAsked(Model m, PrecisionPolicy policy) {
        Set<Precision> out = EnumSet.noneOf(Precision.class);
        for (Node n : m.graph().nodes()) out.add(policy.decide(n).precision());
        return out;
    }

    static boolean needsCalibration(Model m, PrecisionPolicy policy) {
        return precisionsAsked(m, policy).contains(Precision.INT8_STATIC);
    }

    /**
     * Quantizes {@code model} in place.
     *
     * @param calibration samples for the static ranges, or null when {@code ranges} are given or nothing is static
     * @param ranges      activation ranges read from a {@code quant4j calibrate} file, or null
     */
    static Outcome apply(Model model, PrecisionPolicy policy, Settings s, SampleData calibration, Supplier<Observer> observer,
                         Map<String, Observer> ranges) {
        List<QuantizationReport> reports = new ArrayList<>();
        int folded = 0, samples = 0;
        String sha = null;
        Set<Precision> asked = precisionsAsked(model, policy);
        if (asked.contains(Precision.INT8_STATIC)) {
            if (s.foldBatchNorm()) folded = ConvBatchNormFolder.apply(model);
            Map<String, Observer> r = ranges;
            if (r == null) {
                Calibration c = calibrate(model, StaticQdqQuantizer.valuesToCalibrate(model, policy), calibration, observer, s.batch());
                r = c.observers();
                samples = c.samples();
                sha = c.sha256();
            }
            StaticQdqQuantizer.Options o = new StaticQdqQuantizer.Options(s.activations(), s.activations() == DataType.INT8 || s.activations() == DataType.INT16,
                    s.perChannel(), s.activations() == DataType.UINT8).withQuantizedOutputs(s.quantizeOutputs());
            reports.add(StaticQdqQuantizer.apply(model, policy, r, o));
        }
        if (asked.contains(Precision.INT8_DYNAMIC))
            reports.add(DynamicQuantizer.apply(model, policy, new DynamicQuantizer.Options(s.perChannel(), true)));
        if (asked.contains(Precision.INT4_WEIGHT) || asked.contains(Precision.INT8_WEIGHT))
            reports.add(WeightOnlyQuantizer.apply(model, policy, new WeightOnlyQuantizer.Options(s.blockSize(), s.symmetricBlocks(), s.format())));
        if (asked.contains(Precision.FP16) || asked.contains(Precision.BF16))
            reports.add(HalfPrecisionWeights.apply(model, policy, 0.5));
        return new Outcome(reports, folded, samples, sha);
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
