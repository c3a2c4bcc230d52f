package dev.quant4j.llm.gguf;

import java.nio.file.Path;

/** A GGUF file that is not what the format allows: names the file, the byte offset and the problem. */
public class GgufFormatException extends RuntimeException {
    private final Path file;

    public GgufFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public GgufFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() { return file; }
}
