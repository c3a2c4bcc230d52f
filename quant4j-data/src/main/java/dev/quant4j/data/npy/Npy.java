package dev.quant4j.data.npy;

import dev.quant4j.core.io.AtomicFiles;
import dev.quant4j.data.io.FileBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** Reads and writes single-array NPY files (format versions 1.0, 2.0 and 3.0). */
public final class Npy {
    private Npy() {}

    /** Maps the file and parses its header; the data is read only when accessed. */
    public static NpyArray read(Path file) {
        return parse(FileBytes.open(file), file.toString());
    }

    /** Parses NPY bytes already in memory; {@code source} names them in errors. */
    public static NpyArray parse(MemorySegment bytes, String source) {
        NpyHeader h = NpyHeader.parse(bytes, source);
        return new NpyArray(h, bytes.asSlice(h.dataOffset(), h.dataBytes()), source);
    }

    /**
     * Writes {@code a} with a version 1.0 header (2.0 if the header outgrows 64 KiB), the data
     * starting at a multiple of 64 bytes, through a temporary file moved into place.
     */
    public static void write(Path file, NpyArray a) throws IOException {
        AtomicFiles.write(file, out -> write(out, a));
    }

    /** Writes {@code a} as NPY bytes to a stream (used for NPZ entries too). */
    public static void write(OutputStream out, NpyArray a) throws IOException {
        NpyHeader h = a.header();
        byte[] text = NpyHeader.format(h.dtype(), h.fortranOrder(), h.shape(), 10);
        int major = 1;
        if (text.length > 65535) {
            text = NpyHeader.format(h.dtype(), h.fortranOrder(), h.shape(), 12);
            major = 2;
        }
        out.write(NpyHeader.MAGIC);
        out.write(major);
        out.write(0);
        out.write(text.length & 0xFF);
        out.write((text.length >>> 8) & 0xFF);
        if (major == 2) {
            out.write((text.length >>> 16) & 0xFF);
            out.write((text.length >>> 24) & 0xFF);
        }
        out.write(text);
        MemorySegment d = a.data();
        byte[] buf = new byte[1 << 16];
        for (long off = 0; off < d.byteSize(); off += buf.length) {
            int n = (int) Math.min(buf.length, d.byteSize() - off);
            MemorySegment.copy(d, ValueLayout.JAVA_BYTE, off, buf, 0, n);
            out.write(buf, 0, n);
        }
    }
}
