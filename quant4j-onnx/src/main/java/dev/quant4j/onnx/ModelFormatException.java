package dev.quant4j.onnx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An ONNX file that cannot be read or written as it is: malformed or truncated protobuf, a
 * tensor whose data does not match its type and shape, external data that is missing, outside
 * the model's folder or out of range, an unsupported element type. The message names the file
 * and the node, tensor or value concerned.
 */
public class ModelFormatException extends IOException {
    private final Path file;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The model file concerned. */
    public Path file() { return file; }
}
