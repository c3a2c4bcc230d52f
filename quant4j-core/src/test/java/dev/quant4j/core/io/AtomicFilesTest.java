package dev.quant4j.core.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void writesThroughATemporaryFileWithTheUsualPermissions(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sub/model.bin");
        AtomicFiles.write(out, o -> o.write("abc".getBytes(StandardCharsets.UTF_8)));
        assertEquals("abc", Files.readString(out));
        assertEquals(1, list(out.getParent()), "no temporary file left");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // what any newly created file gets here (umask), not createTempFile's owner-only rw-------
            Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
            assertEquals(usual, Files.getPosixFilePermissions(out));
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("report.json");
        Files.writeString(out, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(out, o -> {
            o.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(out));
        assertEquals(1, list(dir));
    }

    @Test
    void replacesAnExistingFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("a.gguf");
        Files.writeString(out, "old");
        Path tmp = AtomicFiles.sibling(out);
        assertTrue(tmp.getFileName().toString().startsWith(".a.gguf."));
        assertEquals(out.toAbsolutePath().getParent(), tmp.getParent());
        Files.writeString(tmp, "new");
        AtomicFiles.moveIntoPlace(tmp, out);
        assertEquals("new", Files.readString(out));
        assertFalse(Files.exists(tmp));
    }

    private static long list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals("plain")).count();
        }
    }
}
