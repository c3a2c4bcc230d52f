package dev.quant4j.llm.safetensors;

import java.nio.file.Path;

/** A safetensors file or config.json that breaks the format: names the file and the problem. */
public class SafetensorsFormatException extends RuntimeException {
    private final Path file;

    public SafetensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() { return file; }
}
