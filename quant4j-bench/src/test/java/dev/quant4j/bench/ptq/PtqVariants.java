package dev.quant4j.bench.ptq;

import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Calibrator;
import dev.quant4j.quantize.DynamicQuantizer;
import dev.quant4j.quantize.HalfPrecisionWeights;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quantized forms of one float32 model, made by quant4j-quantize with its defaults and written
 * as ONNX files (so both engines load the same bytes):
 *
 * <pre>
 *   fp32      the model as published
 *   fp16      FP16 weight storage (Cast to float32 in front of the compute)
 *   dynamic   INT8 weights per channel, activations quantized per run (MatMul, Gemm, embeddings)
 *   static    QDQ u8s8 per-channel 7-bit weights, min/max ranges from {@code calibration} real samples
 *   int4-w    weight-only INT4 MatMulNBits, symmetric, block 32 (MatMul weights)
 * </pre>
 */
final class PtqVariants {
    private PtqVariants() {}

    static final String[] NAMES = {"fp32", "fp16", "dynamic", "static", "int4-w"};

    static Map<String, Path> make(PtqModels spec, Path dir, int calibration) throws IOException {
        return make(spec, dir, calibration, java.util.Set.of(NAMES));
    }

    /** Only the variants named in {@code only} (fp32 always). */
    static Map<String, Path> make(PtqModels spec, Path dir, int calibration, java.util.Set<String> only) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        out.put("fp32", spec.fp32());
        String base = spec.name().replaceAll("[^A-Za-z0-9]+", "_");
        if (only.contains("fp16")) out.put("fp16", write(spec, dir.resolve(base + "_fp16.onnx"),
                m -> HalfPrecisionWeights.apply(m, PrecisionPolicy.uniform(Precision.FP16), 0.01)));
        if (only.contains("dynamic")) out.put("dynamic", write(spec, dir.resolve(base + "_dynamic.onnx"),
                m -> DynamicQuantizer.apply(m, PrecisionPolicy.uniform(Precision.INT8_DYNAMIC), DynamicQuantizer.Options.defaults())));
        if (only.contains("static")) out.put("static", write(spec, dir.resolve(base + "_static.onnx"), m -> {
            PrecisionPolicy p = PrecisionPolicy.uniform(Precision.INT8_STATIC);
            Map<String, Observer> ranges;
            try (Model fp = OnnxReader.read(spec.fp32())) {
                Calibrator c = new Calibrator(fp, StaticQdqQuantizer.valuesToCalibrate(fp, p), MinMaxObserver::perTensor);
                for (int i = 0; i < calibration; i++) c.observe(spec.sample().apply(i));
                ranges = c.observers();
            }
            return StaticQdqQuantizer.apply(m, p, ranges, StaticQdqQuantizer.Options.u8s8());
        }));
        if (only.contains("int4-w")) out.put("int4-w", write(spec, dir.resolve(base + "_int4w.onnx"),
                m -> WeightOnlyQuantizer.apply(m, PrecisionPolicy.uniform(Precision.INT4_WEIGHT),
                        new WeightOnlyQuantizer.Options(32, true, WeightOnlyQuantizer.Format.MATMUL_NBITS))));
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    interface Pass { QuantizationReport apply(Model m) throws IOException; }

    /** The variant's file, or null (with the reason printed) when quant4j-quantize cannot make it for this model. */
    private static Path write(PtqModels spec, Path target, Pass pass) throws IOException {
        try (Model m = OnnxReader.read(spec.fp32())) {
            pass.apply(m);
            OnnxWriter.write(m, target);
        } catch (RuntimeException e) {
            System.out.printf("%-13s %s: not made: %s%n", spec.name(), target.getFileName(), e.getMessage());
            return null;
        }
        return target;
    }
}
