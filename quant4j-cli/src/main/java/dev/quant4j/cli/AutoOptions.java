package dev.quant4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code quantize --mode auto}: the accuracy bound, the objective and the engine the search measures on. */
final class AutoOptions {
    @Option(names = "--max-drop", paramLabel = "X[%]",
            description = "Auto: the largest metric drop allowed on held-out data, absolute (0.5) or relative to fp32 (1%).")
    String maxDrop;

    @Option(names = "--objective", defaultValue = "smallest", paramLabel = "smallest|fastest",
            description = "Auto: among plans within the bound, the smallest or the fastest (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--engine", defaultValue = "quant4j", paramLabel = "quant4j|ort",
            description = "Auto: the engine the search measures accuracy and speed on (default: ${DEFAULT-VALUE}).")
    String engine;

    int run(QuantizeCommand c, CommandLine.Model.CommandSpec spec) throws Exception {
        throw new CommandLine.ParameterException(spec.commandLine(), "--mode auto is not wired in yet");
    }
}
