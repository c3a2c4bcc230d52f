package dev.quant4j.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The side files that hold external tensor data, resolved against the model's folder and mapped
 * read-only once each into the model's arena; tensors are slices of those mappings.
 *
 * <p>A location must be a relative path that stays inside the model's folder after resolving
 * {@code ..} and symbolic links; offset and length are checked against the file's size before any
 * byte is touched.
 */
final class ExternalDataFiles {
    private final Path modelDir;
    private final Arena arena;
    private final Map<Path, MemorySegment> mapped = new HashMap<>();
    private final Set<Path> used = new LinkedHashSet<>();

    ExternalDataFiles(Path modelDir, Arena arena) {
        this.modelDir = modelDir;
        this.arena = arena;
    }

    Set<Path> usedFiles() { return used; }

    /** The bytes [offset, offset + length) of {@code location}; length -1 means "to the end". */
    MemorySegment slice(String location, long offset, long length, String tensor) {
        Path file = resolve(location, tensor);
        MemorySegment all = mapped.computeIfAbsent(file, f -> map(f, tensor));
        long size = all.byteSize();
        if (offset < 0 || offset > size) {
            throw new FormatProblem("tensor '" + tensor + "': external data offset " + offset + " is outside '" + location + "' (" + size + " bytes)");
        }
        long len = length < 0 ? size - offset : length;
        if (len > size - offset) {
            throw new FormatProblem("tensor '" + tensor + "': external data [" + offset + ", +" + len + ") runs past the end of '" + location + "' (" + size + " bytes)");
        }
        return all.asSlice(offset, len);
    }

    private Path resolve(String location, String tensor) {
        if (location == null || location.isEmpty()) throw new FormatProblem("tensor '" + tensor + "': external data has no location");
        Path rel;
        try {
            rel = Path.of(location);
        } catch (RuntimeException e) {
            throw new FormatProblem("tensor '" + tensor + "': external data location '" + location + "' is not a valid path");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new FormatProblem("tensor '" + tensor + "': external data location '" + location + "' is absolute; only paths inside the model's folder are allowed");
        }
        Path file = modelDir.resolve(rel).normalize();
        if (!file.startsWith(modelDir)) {
            throw new FormatProblem("tensor '" + tensor + "': external data location '" + location + "' leaves the model's folder");
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(modelDir.toRealPath())) {
                throw new FormatProblem("tensor '" + tensor + "': external data location '" + location + "' links outside the model's folder");
            }
            if (!Files.isRegularFile(real)) throw new FormatProblem("tensor '" + tensor + "': external data '" + location + "' is not a regular file");
            return real;
        } catch (NoSuchFileException e) {
            throw new FormatProblem("tensor '" + tensor + "': external data file '" + location + "' not found (looked in " + modelDir + ")");
        } catch (IOException e) {
            throw new FormatProblem("tensor '" + tensor + "': external data file '" + location + "': " + e, e);
        }
    }

    private MemorySegment map(Path file, String tensor) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            used.add(file);
            long size = ch.size();
            // Mapping a zero-length region is not portable; an empty file has no bytes to view anyway.
            return size == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw new FormatProblem("tensor '" + tensor + "': cannot map external data file " + file + ": " + e, e);
        }
    }
}
