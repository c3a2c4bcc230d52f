package dev.quant4j.cli;

import picocli.CommandLine.Option;

/** How long compare and report time the models: batch 1, interleaved. */
final class TimingOptions {
    @Option(names = "--runs", defaultValue = "50", description = "Timed runs per model, batch 1 (default: ${DEFAULT-VALUE}; 0 = no timing).")
    int runs;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs per model first (default: ${DEFAULT-VALUE}).")
    int warmup;
}
