package dev.quant4j.data;

import java.nio.file.Path;

/**
 * A data file that cannot be read as what it claims to be: truncated, a bad header, a size that
 * does not fit the file, or an I/O failure. The message always starts with the file's name so that
 * a user who feeds a calibration run a thousand files knows which one to look at.
 *
 * <p>Unchecked because samples are read lazily, deep inside iterators and lambdas.
 */
public final class DataFileException extends RuntimeException {
    private final String source;

    public DataFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public DataFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
        this.source = source;
    }

    public DataFileException(Path file, String problem) {
        this(file.toString(), problem);
    }

    public DataFileException(Path file, String problem, Throwable cause) {
        this(file.toString(), problem, cause);
    }

    /** The file (or archive entry, as {@code archive.npz:entry.npy}) that failed. */
    public String source() {
        return source;
    }
}
