package dev.quant4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Guards for output paths: a command never writes over one of its inputs. */
final class Inputs {
    private Inputs() {}

    /** Usage error (exit 2) when {@code output} is the same file as one of {@code inputs}. */
    static void refuseOverwrite(Path input, Path output, CommandLine.Model.CommandSpec spec) {
        if (output == null || input == null) return;
        if (sameFile(input, output))
            throw new CommandLine.ParameterException(spec.commandLine(), output + ": is the input " + input + "; refusing to overwrite an input, write elsewhere");
    }

    static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b) : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }
}
