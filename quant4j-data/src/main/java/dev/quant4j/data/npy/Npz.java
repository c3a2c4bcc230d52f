package dev.quant4j.data.npy;

import dev.quant4j.data.DataFileException;
import dev.quant4j.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NPZ archives ({@code numpy.savez} and {@code savez_compressed}): a zip file whose entries are
 * NPY files named {@code <key>.npy}, stored or deflated.
 */
public final class Npz {
    private Npz() {}

    /** Largest entry read onto the heap; a larger one is refused rather than risking OutOfMemoryError. */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

    /**
     * Reads every array, keyed by entry name without {@code .npy}, in archive order. Entry sizes
     * declared by the zip directory are checked before reading, and the bytes actually inflated
     * must match them.
     */
    public static Map<String, NpyArray> read(Path file) {
        if (!Files.isRegularFile(file)) throw new DataFileException(file, "no such file");
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) continue;
                String name = e.getName();
                String src = file + ":" + name;
                if (!name.endsWith(".npy")) throw new DataFileException(src, "NPZ entry is not an .npy file");
                long size = e.getSize();
                if (size < 0 || size > MAX_ENTRY_BYTES) throw new DataFileException(src, "entry size " + size + " is unknown or too large");
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readNBytes((int) size);
                    if (bytes.length != size || in.read() != -1)
                        throw new DataFileException(src, "entry holds a different number of bytes than the zip directory says (" + size + ")");
                }
                String key = name.substring(0, name.length() - 4);
                if (out.containsKey(key)) throw new DataFileException(src, "key '" + key + "' appears twice");
                out.put(key, Npy.parse(MemorySegment.ofArray(bytes), src));
            }
        } catch (ZipException e) {
            throw new DataFileException(file, "not a valid zip archive", e);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read", e);
        }
        return out;
    }

    /** Writes the arrays as {@code <key>.npy} entries, deflated when {@code compress}, else stored. */
    public static void write(Path file, Map<String, NpyArray> arrays, boolean compress) throws IOException {
        AtomicFiles.write(file, os -> {
            ZipOutputStream zip = new ZipOutputStream(os);
            for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                Npy.write(buf, a.getValue());
                byte[] b = buf.toByteArray();
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                if (compress) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    // stored entries need their size and CRC up front
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(b.length);
                    e.setCompressedSize(b.length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(b);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
