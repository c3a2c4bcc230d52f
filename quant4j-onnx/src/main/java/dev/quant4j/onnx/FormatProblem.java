package dev.quant4j.onnx;

/**
 * Thrown inside the decoder and encoder where a checked exception cannot travel (lambdas,
 * recursion); {@link OnnxReader} and {@link OnnxWriter} turn it into a {@link ModelFormatException}
 * naming the file.
 */
final class FormatProblem extends RuntimeException {
    FormatProblem(String message) {
        super(message, null, false, false);
    }

    FormatProblem(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
