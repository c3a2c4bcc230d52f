package dev.quant4j.data.io;

import dev.quant4j.data.DataFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of a data file as a read-only memory segment outside the Java heap, so a reader can
 * hand out samples lazily without holding the file on the heap.
 *
 * <p>A plain file is mapped. A gzip file (recognised by its magic bytes 1f 8b, not its name) is
 * inflated once into a temporary file which is mapped and then deleted at once: on POSIX systems
 * the mapping stays valid after the name is gone, so nothing is left behind even if the reader is
 * never closed. The mapping belongs to an automatic arena and is released when unreachable.
 */
public final class FileBytes {
    private FileBytes() {}

    public static MemorySegment open(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFileException(file, "no such file");
        try {
            return isGzip(file) ? inflate(file) : map(file);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read", e);
        }
    }

    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Opens the file for reading, inflating it on the fly when it is gzip. */
    public static InputStream openStream(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return isGzip(file) ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static MemorySegment map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return MemorySegment.ofArray(new byte[0]);
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto()).asReadOnly();
        }
    }

    private static MemorySegment inflate(Path file) throws IOException {
        Path tmp = Files.createTempFile("quant4j-", ".inflated");
        try {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
                 OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            } catch (java.io.EOFException | java.util.zip.ZipException e) {
                throw new DataFileException(file, "gzip stream is corrupt or truncated", e);
            }
            return map(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
