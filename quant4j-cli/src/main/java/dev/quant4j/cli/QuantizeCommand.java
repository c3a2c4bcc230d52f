package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant4j quantize MODEL -o OUT --mode ...}: one or more post-training passes driven by one
 * precision policy, written atomically (the input is never overwritten), the decisions printed.
 */
@Command(name = "quantize", description = {"Quantize an ONNX model: dynamic, static, weight-only, fp16/bf16 or auto.",
        "auto searches per-layer precisions under an accuracy bound. A policy file (JSON/YAML) can give nodes other precisions; every decision is printed and stored in the model."})
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The float model.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write the quantized model.")
    Path output;

    @Option(names = "--mode", converter = Mode.Converter.class, paramLabel = "MODE",
            description = "dynamic, static, weight-only, fp16, bf16 or auto: the precision of nodes no policy rule selects.")
    Mode mode;

    @Option(names = "--policy", paramLabel = "FILE", description = "Precision policy (JSON, or YAML by extension): rules by node name, regex or op type.")
    Path policyFile;

    @Option(names = "--calibration", paramLabel = "DATA", description = "Calibration samples: FILE.npy, FILE.npz (arrays named like the inputs), IDX, a folder of images (class sub-folders = labels; see --mean, --std, --resize), or builtin:fashion.")
    String calibration;

    @Option(names = "--ranges", paramLabel = "FILE", description = "Activation ranges written by `quant4j calibrate` (instead of --calibration).")
    Path ranges;

    @Mixin
    DataOptions data;

    @Mixin
    CalibrationOptions calib;

    @Option(names = "--bits", defaultValue = "4", description = "Weight-only bits: 4 or 8 (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--block-size", defaultValue = "32", description = "Weight-only block size, a power of two in 16..256 (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--weight-zero-points", description = "Weight-only blocks with zero-points (default: symmetric).")
    boolean zeroPoints;

    @Option(names = "--format", defaultValue = "MATMUL_NBITS", paramLabel = "FORMAT",
            description = "Weight-only form: MATMUL_NBITS (com.microsoft) or BLOCKED_DEQUANTIZE (opset 21) (default: ${DEFAULT-VALUE}).")
    WeightOnlyQuantizer.Format format;

    @Option(names = "--per-channel", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Per-channel INT8 weights for static and dynamic (default: on; --no-per-channel for per tensor).")
    boolean perChannel;

    @Option(names = "--quantize-outputs", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Static INT8: also quantize each quantized node's output (QDQ on both sides), so that ONNX Runtime fuses"
                    + " it into its integer kernels (QLinearConv, QLinearMatMul, QGemm); without it those nodes run in float on"
                    + " dequantized weights (default: on).")
    boolean quantizeOutputs;

    @Option(names = "--fold-batchnorm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fold BatchNormalization into the Conv before it before static quantization (exact in float; default: on).")
    boolean foldBatchNorm;

    @Mixin
    AutoOptions auto;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    /** What the command did, for --json and the tests. */
    record Report(String input, String output, long inputBytes, long outputBytes, String mode, String policy, int foldedBatchNorms,
                  String calibration, String calibrationMethod, int calibrationSamples, String calibrationSha256, List<Pass> passes, Object auto) {}

    record Pass(String mode, long quantized, long kept, List<QuantizationReport.Entry> entries) {}

    @Override
    public Integer call() throws Exception {
        if (mode == null && policyFile == null) throw new CommandLine.ParameterException(spec.commandLine(), "give --mode, --policy, or both");
        if (bits != 4 && bits != 8) throw new CommandLine.ParameterException(spec.commandLine(), "--bits must be 4 or 8");
        if (calibration != null && ranges != null) throw new CommandLine.ParameterException(spec.commandLine(), "give --calibration or --ranges, not both");
        Inputs.refuseOverwrite(model, output, spec);
        WeightOnlyQuantizer.Options wo;
        try {
            wo = new WeightOnlyQuantizer.Options(blockSize, !zeroPoints, format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--block-size: " + e.getMessage());
        }
        if (mode == Mode.AUTO) return auto.run(this, spec);
        if (auto.maxDrop != null) throw new CommandLine.ParameterException(spec.commandLine(), "--max-drop belongs to --mode auto");
        try (Model m = OnnxReader.read(model)) {
            PrecisionPolicy policy = policy();
            SampleData samples = null;
            Map<String, Observer> fixed = null;
            RangesFile rf = null;
            if (Ptq.needsCalibration(m, policy)) {
                if (ranges != null) {
                    rf = RangesFile.read(ranges);
                    if (rf.activations() != calib.activations)
                        throw new BadInputException(ranges, "ranges were chosen for " + rf.activations() + " activations; this run quantizes to " + calib.activations
                                + " (calibrate again with --activations)");
                    fixed = rf.observers();
                } else if (calibration != null) {
                    samples = data.open(calibration, m);
                } else {
                    throw new CommandLine.ParameterException(spec.commandLine(), "static quantization needs --calibration DATA or --ranges FILE");
                }
            }
            Ptq.Settings s = new Ptq.Settings(wo.blockSize(), wo.symmetric(), wo.format(), perChannel, calib.activations, foldBatchNorm, data.batch, quantizeOutputs);
            Ptq.Outcome o = Ptq.apply(m, policy, s, samples, calib.method.observer(calib.percentile), fixed);
            RunRecord.record(m, this, o);
            OnnxWriter.write(m, output);
            Report r = new Report(model.toString(), output.toString(), Files.size(model), Files.size(output), mode == null ? "policy" : mode.id(),
                    policyFile == null ? null : policyFile.toString(), o.foldedBatchNorms(), samples != null ? samples.name() : ranges != null ? ranges.toString() : null,
                    samples != null ? calib.method.id() : rf != null ? rf.method() : null, samples != null ? o.calibrationSamples() : rf != null ? rf.samples() : 0,
                    samples != null ? o.calibrationSha256() : rf != null ? rf.dataSha256() : null,
                    o.reports().stream().map(p -> new Pass(p.mode(), p.count(QuantizationReport.Outcome.QUANTIZED), p.count(QuantizationReport.Outcome.KEPT),
                            p.entries())).toList(), null);
            if (json) System.out.println(Json.write(r));
            else print(r);
        }
        return Quant4j.OK;
    }

    /** The policy file's rules and default; without a default in the file, --mode gives it. */
    PrecisionPolicy policy() throws IOException {
        if (policyFile == null) return PrecisionPolicy.uniform(mode.precision(bits));
        PrecisionPolicy p;
        try {
            p = PrecisionPolicy.read(policyFile);
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new BadInputException(policyFile, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        if (mode == null || mode == Mode.AUTO || namesDefault(policyFile)) return p;
        return new PrecisionPolicy(mode.precision(bits), p.rules());
    }

    private static boolean namesDefault(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        var tree = mapper.readTree(Files.readString(file));
        return tree != null && tree.has("default");
    }

    static void print(Report r) {
        System.out.printf(Locale.ROOT, "%s (%s) -> %s (%s), %.2fx smaller%n", r.input(), Sizes.bytes(r.inputBytes()), r.output(), Sizes.bytes(r.outputBytes()),
                (double) r.inputBytes() / r.outputBytes());
        if (r.foldedBatchNorms() > 0) System.out.println("folded " + r.foldedBatchNorms() + " BatchNormalization nodes into their Conv");
        if (r.calibration() != null)
            System.out.printf(Locale.ROOT, "calibration: %s, %s, %d samples, sha256 %s%n", r.calibration(), r.calibrationMethod(), r.calibrationSamples(),
                    r.calibrationSha256());
        for (Pass p : r.passes()) {
            System.out.printf(Locale.ROOT, "%s: %d nodes quantized, %d kept%n", p.mode(), p.quantized(), p.kept());
            for (QuantizationReport.Entry e : p.entries())
                System.out.printf(Locale.ROOT, "  %-9s %-12s %-13s %s  (%s)%n", e.outcome() == QuantizationReport.Outcome.QUANTIZED ? "quantized" : "kept",
                        e.opType(), e.precision().id(), e.node(), e.reason());
        }
        if (r.passes().isEmpty()) System.out.println("no pass applies: every node is fp32 under this policy");
    }

    /** u8/s8/u16/s16 (or the type names). */
    static final class ActivationType implements CommandLine.ITypeConverter<DataType> {
        @Override
        public DataType convert(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "u8", "uint8" -> DataType.UINT8;
                case "s8", "int8" -> DataType.INT8;
                case "u16", "uint16" -> DataType.UINT16;
                case "s16", "int16" -> DataType.INT16;
                default -> throw new IllegalArgumentException("activation type must be u8, s8, u16 or s16, got " + v);
            };
        }
    }

    Precision defaultPrecision() { return mode == null || mode == Mode.AUTO ? Precision.FP32 : mode.precision(bits); }
}
