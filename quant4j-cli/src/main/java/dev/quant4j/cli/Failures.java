package dev.quant4j.cli;

import dev.quant4j.data.DataFileException;
import dev.quant4j.llm.gguf.GgufFormatException;
import dev.quant4j.llm.llama2c.Llama2cFormatException;
import dev.quant4j.llm.safetensors.SafetensorsFormatException;
import dev.quant4j.onnx.ModelFormatException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns an exception from a command into an exit code and one line on stderr. The format
 * exceptions of the library modules already read "FILE: problem"; the file system's name only
 * the file, so their reason is added.
 */
final class Failures {
    private Failures() {}

    static int report(Throwable e, boolean verbose, PrintStream err) {
        Throwable bad = badInput(e);
        err.println("quant4j: " + message(bad != null ? bad : e));
        if (verbose) e.printStackTrace(err);
        return bad != null ? Quant4j.BAD_INPUT : Quant4j.FAILED;
    }

    /** The exception in the cause chain that says an input file is unusable, or null. */
    static Throwable badInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof BadInputException || t instanceof ModelFormatException || t instanceof DataFileException
                    || t instanceof GgufFormatException || t instanceof Llama2cFormatException || t instanceof SafetensorsFormatException
                    || t instanceof FileSystemException)
                return t;
        return null;
    }

    static String message(Throwable t) {
        if (t instanceof FileSystemException f && f.getReason() == null) {
            String why = t instanceof NoSuchFileException ? "no such file" : t instanceof AccessDeniedException ? "permission denied"
                    : t instanceof NotDirectoryException ? "not a directory" : t.getClass().getSimpleName();
            return f.getFile() + ": " + why;
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
