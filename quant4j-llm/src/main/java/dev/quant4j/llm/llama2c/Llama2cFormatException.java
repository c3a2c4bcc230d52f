package dev.quant4j.llm.llama2c;

import java.io.IOException;
import java.nio.file.Path;

/** A llama2.c checkpoint that cannot be read; the message names the file and the problem. */
public final class Llama2cFormatException extends IOException {
    public Llama2cFormatException(Path file, String problem) {
        super(file + ": not a valid llama2.c checkpoint: " + problem);
    }
}
