package dev.quant4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by the llm commands before they hand a path to quant4j-llm. */
final class LlmFiles {
    private LlmFiles() {}

    static void requireReadable(Path p) {
        if (!Files.exists(p)) throw new BadInputException(p, "no such file");
        if (!Files.isReadable(p)) throw new BadInputException(p, "not readable");
    }

    static int threads(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }
}
