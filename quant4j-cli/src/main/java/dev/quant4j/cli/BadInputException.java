package dev.quant4j.cli;

import java.nio.file.Path;

/** An input file the command cannot use: exit code 3, printed as {@code quant4j: FILE: problem}. */
public final class BadInputException extends RuntimeException {
    public BadInputException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
