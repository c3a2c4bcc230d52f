package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.quantize.ConvBatchNormFolder;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant4j calibrate MODEL --data DATA -o ranges.json}: streams the data through the float
 * model with one observer per value and writes the chosen ranges, for {@code quantize --ranges}.
 */
@Command(name = "calibrate", description = "Stream calibration data through the float model and write one activation range per value (JSON).")
final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL.onnx", description = "The float model.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Samples: FILE.npy, FILE.npz (arrays named like the inputs), IDX, a folder of images (class sub-folders = labels; see --mean, --std, --resize), or builtin:fashion.")
    String dataSpec;

    @Mixin
    DataOptions data;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "ranges.json", description = "Where to write the ranges.")
    Path output;

    @Mixin
    CalibrationOptions calib;

    @Option(names = "--all-values", description = "Observe every float value, not only the inputs static quantization needs.")
    boolean allValues;

    @Option(names = "--fold-batchnorm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fold BatchNormalization into its Conv first, as quantize does (default: on).")
    boolean foldBatchNorm;

    @Option(names = "--json", description = "Print the ranges file's content on stdout too.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Inputs.refuseOverwrite(model, output, spec);
        try (Model m = OnnxReader.read(model)) {
            if (foldBatchNorm) ConvBatchNormFolder.apply(m);
            SampleData d = data.open(dataSpec, m);
            Set<String> values = allValues ? floatValues(m) : StaticQdqQuantizer.valuesToCalibrate(m, PrecisionPolicy.uniform(Precision.INT8_STATIC));
            if (values.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "the model has no value static quantization would calibrate; try --all-values");
            Ptq.Calibration c = Ptq.calibrate(m, values, d, calib.method.observer(calib.percentile), data.batch);
            DataType activations = calib.activations;
            boolean symmetric = calib.symmetric();
            RangesFile r = new RangesFile(RangesFile.FORMAT, model.getFileName().toString(), d.name(), calib.method.id(), activations, symmetric, c.samples(),
                    c.sha256(), RangesFile.values(c.observers(), RangesFile.spec(activations, symmetric)));
            r.write(output);
            if (json) {
                System.out.println(Json.write(r));
            } else {
                System.out.printf(Locale.ROOT, "%d values calibrated on %d samples of %s (%s, for %s): %s%n", r.values().size(), c.samples(), d.name(), calib.method.id(),
                        activations, output);
                for (RangesFile.Value v : r.values())
                    System.out.printf(Locale.ROOT, "  [%12.6g, %12.6g]  scale %.6g zero-point %d  %s%n", v.min(), v.max(), v.scale(), v.zeroPoint(), v.name());
            }
        }
        return Quant4j.OK;
    }

    /** Every value a node produces, plus the graph inputs (the runtime skips what is not float). */
    private static Set<String> floatValues(Model m) {
        Set<String> out = new LinkedHashSet<>(m.graph().inputNames());
        out.removeAll(m.graph().initializers().keySet());
        for (Node n : m.graph().nodes()) for (String o : n.outputs()) if (!o.isEmpty()) out.add(o);
        return out;
    }
}
