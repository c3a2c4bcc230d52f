package dev.quant4j.llm.gguf;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (v2 or v3) mapped read-only with FFM: its metadata, its tensor infos and each
 * tensor's bytes as a slice of the mapping (no copy; files larger than 2 GB are fine). Tensor
 * segments stay valid until {@link #close()}.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapped;
    private final int version;
    private final long alignment;
    private final long dataOffset;
    private final Map<String, GgufValue> typed;
    private final Map<String, Object> plain;
    private final Map<String, GgufTensorInfo> tensors;

    private GgufFile(Path path, Arena arena, MemorySegment mapped, GgufReader r) {
        this.path = path;
        this.arena = arena;
        this.mapped = mapped;
        this.version = r.version;
        this.alignment = r.alignment;
        this.dataOffset = r.dataOffset;
        this.typed = Collections.unmodifiableMap(r.metadata);
        Map<String, Object> p = new LinkedHashMap<>();
        r.metadata.forEach((k, v) -> p.put(k, plain(v)));
        this.plain = Collections.unmodifiableMap(p);
        Map<String, GgufTensorInfo> t = new LinkedHashMap<>();
        for (GgufTensorInfo i : r.tensors) t.put(i.name(), i);
        this.tensors = Collections.unmodifiableMap(t);
    }

    /** Maps and parses {@code file}; throws {@link GgufFormatException} naming the file when it is not valid GGUF. */
    public static GgufFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            GgufReader r = new GgufReader(file, seg);
            r.read();
            return new GgufFile(file, arena, seg, r);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read GGUF file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Object plain(GgufValue v) {
        if (v.type() != GgufValueType.ARRAY || v.elementType() != GgufValueType.ARRAY) return v.value();
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) v.value()) out.add(plain((GgufValue) o));
        return Collections.unmodifiableList(out);
    }

    public Path path() { return path; }
    public int version() { return version; }
    /** general.alignment, or 32 when the file does not set it. */
    public long alignment() { return alignment; }
    /** Byte offset of the data section in the file. */
    public long dataOffset() { return dataOffset; }
    public long fileSize() { return mapped.byteSize(); }

    /**
     * Metadata as plain Java values in file order: numbers boxed (see {@link GgufValueType#javaType()}),
     * strings, booleans, and arrays as unmodifiable {@code List}s.
     */
    public Map<String, Object> metadata() { return plain; }

    /** Metadata with the GGUF type of every value (for writing it back unchanged). */
    public Map<String, GgufValue> typedMetadata() { return typed; }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensors() { return List.copyOf(tensors.values()); }

    /** The tensor info named {@code name}; throws naming the file when absent. */
    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
        return t;
    }

    public boolean hasTensor(String name) { return tensors.containsKey(name); }

    /** The bytes of a tensor: a read-only slice of the mapping (bounds were checked when opening). */
    public MemorySegment data(GgufTensorInfo t) {
        return mapped.asSlice(dataOffset + t.offset(), t.byteSize()).asReadOnly();
    }

    public MemorySegment data(String name) { return data(tensor(name)); }

    /**
     * A 1-D or 2-D tensor as a {@link WeightMatrix}: rows = dims[1] (1 for a vector), cols = dims[0].
     * Tensors of higher rank are refused.
     */
    public WeightMatrix matrix(String name) {
        GgufTensorInfo t = tensor(name);
        long[] d = t.dims();
        for (int i = 2; i < d.length; i++)
            if (d[i] != 1) throw new IllegalArgumentException(path + ": tensor '" + name + "' has dims " + java.util.Arrays.toString(d) + ", not a matrix");
        long rows = d.length > 1 ? d[1] : 1;
        if (d[0] > Integer.MAX_VALUE || rows > Integer.MAX_VALUE)
            throw new IllegalArgumentException(path + ": tensor '" + name + "' is too large for a WeightMatrix");
        if (!t.type().isSupported())
            throw new UnsupportedOperationException(path + ": tensor '" + name + "' has type " + t.type() + ", which quant4j cannot decode");
        return new WeightMatrix(t.type(), (int) rows, (int) d[0], data(t));
    }

    /** Any tensor decoded to fp32 (for small tensors such as norms and for tests). */
    public float[] toFloat(String name) {
        GgufTensorInfo t = tensor(name);
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(path + ": tensor '" + name + "' has too many elements for a float[]");
        if (!t.type().isSupported())
            throw new UnsupportedOperationException(path + ": tensor '" + name + "' has type " + t.type() + ", which quant4j cannot decode");
        float[] out = new float[(int) n];
        GgmlType type = t.type();
        if (n > 0) type.format().dequantize(data(t), 0, out, 0, (int) n);
        return out;
    }

    /** Unmaps the file; tensor segments become invalid. */
    @Override public void close() { arena.close(); }

    @Override public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + typed.size() + " metadata, " + tensors.size() + " tensors]";
    }
}
