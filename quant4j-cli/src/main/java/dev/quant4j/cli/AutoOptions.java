package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.quantize.DynamicQuantizer;
import dev.quant4j.quantize.StaticQdqQuantizer;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import dev.quant4j.quantize.ConvBatchNormFolder;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.auto.Objective;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code quantize --mode auto}: the accuracy bound, the objective and the engine the search measures on. */
final class AutoOptions {
    @Option(names = "--max-drop", paramLabel = "X[%]",
            description = "Auto: the largest metric drop allowed on held-out data, absolute in the metric's units (0.01 = 1 point of accuracy) or relative to fp32 (1%%).")
    String maxDrop;

    @Option(names = "--objective", defaultValue = "smallest", paramLabel = "smallest|fastest",
            description = "Auto: among plans within the bound, the smallest or the fastest (default: ${DEFAULT-VALUE}).")
    Objective objective;

    @Option(names = "--engine", defaultValue = "quant4j", converter = EngineChoice.Converter.class, paramLabel = "quant4j|ort",
            description = "Auto: the engine the search measures accuracy and speed on, one thread (default: ${DEFAULT-VALUE}).")
    EngineChoice engine;

    @Option(names = "--calibration-fraction", defaultValue = "0.3",
            description = "Auto: share of the data used for calibration; the rest is held out for the search (default: ${DEFAULT-VALUE}).")
    double calibrationFraction;

    @Option(names = "--max-evaluations", defaultValue = "24", description = "Auto: candidates measured at most, fp32 included (default: ${DEFAULT-VALUE}).")
    int maxEvaluations;

    @Option(names = "--seed", defaultValue = "2026", description = "Auto: seed of the calibration/held-out split and the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    int run(QuantizeCommand c, CommandLine.Model.CommandSpec spec) throws Exception {
        if (maxDrop == null) throw new CommandLine.ParameterException(spec.commandLine(), "--mode auto needs --max-drop X (absolute) or X% (relative)");
        if (c.calibration == null) throw new CommandLine.ParameterException(spec.commandLine(), "--mode auto needs --calibration DATA (split into calibration and held-out parts)");
        if (c.ranges != null || c.policyFile != null) throw new CommandLine.ParameterException(spec.commandLine(), "--mode auto chooses per layer itself: no --ranges or --policy");
        if (!(calibrationFraction > 0 && calibrationFraction < 1)) throw new CommandLine.ParameterException(spec.commandLine(), "--calibration-fraction must be in (0, 1)");
        AutoQuantize.Settings s;
        try {
            s = new AutoQuantize.Settings(AutoQuantize.bound(maxDrop), maxDrop, objective, maxEvaluations, calibrationFraction, seed, options(c));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-drop " + maxDrop + ": " + e.getMessage());
        }
        try (Model m = OnnxReader.read(c.model)) {
            int folded = c.foldBatchNorm ? ConvBatchNormFolder.apply(m) : 0;
            if (folded > 0) Progress.note("auto: folded %d BatchNormalization nodes into their Conv (exact in float; the fp32 reference is the folded model)", folded);
            SampleData d = c.data.open(c.calibration, m);
            AutoQuantize.Outcome o = AutoQuantize.run(m, d, engine.engine(1), s, c.output);
            if (c.json) System.out.println(Json.write(o));
            else AutoQuantize.print(o);
            System.err.println("quant4j: wrote " + c.output);
        }
        return Quant4j.OK;
    }

    static PlanApplier.Options options(QuantizeCommand c) {
        CalibrationOptions k = c.calib;
        return new PlanApplier.Options(new StaticQdqQuantizer.Options(k.activations, k.symmetric(), c.perChannel, k.activations == dev.quant4j.core.DataType.UINT8)
                .withQuantizedOutputs(c.quantizeOutputs),
                k.method.observer(k.percentile), new DynamicQuantizer.Options(c.perChannel, true),
                new WeightOnlyQuantizer.Options(c.blockSize, !c.zeroPoints, c.format), 0.01);
    }
}
