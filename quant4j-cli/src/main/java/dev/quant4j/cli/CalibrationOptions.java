package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import picocli.CommandLine.Option;

/** How static activation ranges are chosen (calibrate, quantize): the observer and the activation type. */
final class CalibrationOptions {
    @Option(names = "--calibration-method", paramLabel = "METHOD", defaultValue = "minmax",
            description = "Observer for static ranges: minmax, percentile, entropy or mse (default: ${DEFAULT-VALUE}).")
    CalibrationMethod method;

    @Option(names = "--percentile", defaultValue = "99.99", description = "Percentile for --calibration-method percentile (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--activations", paramLabel = "TYPE", defaultValue = "u8", converter = QuantizeCommand.ActivationType.class,
            description = "Static activation type: u8 (affine, with 7-bit weights), s8 (symmetric), u16, s16 (default: ${DEFAULT-VALUE}).")
    DataType activations;

    boolean symmetric() { return activations == DataType.INT8 || activations == DataType.INT16; }
}
