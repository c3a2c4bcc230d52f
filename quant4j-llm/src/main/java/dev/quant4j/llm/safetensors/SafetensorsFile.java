package dev.quant4j.llm.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.Le;
import dev.quant4j.llm.quant.WeightMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face safetensors file mapped read-only with FFM.
 * <pre>
 * offset 0      uint64 N (little-endian): length of the JSON header
 *        8      N bytes of UTF-8 JSON: { "__metadata__": {string: string},
 *                 "name": {"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}, ... }
 *        8 + N  data section; each tensor at [begin, end), row-major, little-endian
 * </pre>
 * Checked before use: N against the file length, every shape and dtype against its byte range,
 * every range against the data section, and that no two ranges overlap. F32, F16 and BF16 tensors
 * can be decoded; other dtypes are listed but refused when decoding.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Header size limit: real headers are kilobytes to a few megabytes. */
    static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapped;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapped, long dataStart, Map<String, String> metadata, Map<String, SafetensorsTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.mapped = mapped;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            SafetensorsFile f = parse(file, arena, seg);
            return f;
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(Path file, Arena arena, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 8) throw new SafetensorsFormatException(file, "file of " + size + " bytes is too short for the 8-byte header length");
        long n = seg.get(Le.I64, 0);
        if (n < 2 || n > size - 8) throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(n) + " does not fit the file of " + size + " bytes");
        if (n > MAX_HEADER) throw new SafetensorsFormatException(file, "header length " + n + " exceeds the " + MAX_HEADER + "-byte limit");
        byte[] hb = new byte[(int) n];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 8, hb, 0, hb.length);
        JsonNode root;
        try {
            root = JSON.readTree(new String(hb, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new SafetensorsFormatException(file, "header is not a JSON object");
        long dataStart = 8 + n, dataSize = size - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, SafetensorsTensor> ts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new SafetensorsFormatException(file, "__metadata__ is not an object");
                v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().isTextual() ? m.getValue().textValue() : m.getValue().toString()));
                continue;
            }
            ts.put(name, tensor(file, name, v, dataSize));
        }
        List<SafetensorsTensor> byOffset = new ArrayList<>(ts.values());
        byOffset.sort(Comparator.comparingLong(SafetensorsTensor::begin).thenComparingLong(SafetensorsTensor::end));
        for (int i = 1; i < byOffset.size(); i++) {
            SafetensorsTensor a = byOffset.get(i - 1), b = byOffset.get(i);
            if (b.begin() < a.end() && b.byteSize() > 0 && a.byteSize() > 0)
                throw new SafetensorsFormatException(file, "tensors '" + a.name() + "' [" + a.begin() + ", " + a.end() + ") and '" + b.name() + "' [" + b.begin() + ", " + b.end() + ") overlap");
        }
        return new SafetensorsFile(file, arena, seg, dataStart, Collections.unmodifiableMap(meta), Collections.unmodifiableMap(ts));
    }

    private static SafetensorsTensor tensor(Path file, String name, JsonNode v, long dataSize) {
        String where = "tensor '" + name + "'";
        if (!v.isObject()) throw new SafetensorsFormatException(file, where + " is not an object");
        JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw new SafetensorsFormatException(file, where + " has no string dtype");
        if (sh == null || !sh.isArray()) throw new SafetensorsFormatException(file, where + " has no shape array");
        if (off == null || !off.isArray() || off.size() != 2) throw new SafetensorsFormatException(file, where + " has no [begin, end] data_offsets");
        String dtype = dt.textValue();
        int es = SafetensorsTensor.elementSize(dtype);
        if (es < 0) throw new SafetensorsFormatException(file, where + " has unknown dtype '" + dtype + "'");
        long[] shape = new long[sh.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0)
                throw new SafetensorsFormatException(file, where + " has an invalid dimension " + d);
            shape[i] = d.longValue();
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException ex) {
                throw new SafetensorsFormatException(file, where + " shape " + sh + " overflows");
            }
        }
        JsonNode b = off.get(0), e = off.get(1);
        if (!b.isIntegralNumber() || !e.isIntegralNumber() || !b.canConvertToLong() || !e.canConvertToLong())
            throw new SafetensorsFormatException(file, where + " has non-integer data_offsets " + off);
        long begin = b.longValue(), end = e.longValue();
        if (begin < 0 || end < begin || end > dataSize)
            throw new SafetensorsFormatException(file, where + " data_offsets [" + begin + ", " + end + ") fall outside the data section of " + dataSize + " bytes");
        long expect;
        try {
            expect = Math.multiplyExact(count, (long) es);
        } catch (ArithmeticException ex) {
            throw new SafetensorsFormatException(file, where + " byte size overflows");
        }
        if (end - begin != expect)
            throw new SafetensorsFormatException(file, where + " " + dtype + " " + sh + " needs " + expect + " bytes, data_offsets give " + (end - begin));
        return new SafetensorsTensor(name, dtype, shape, begin, end);
    }

    public Path path() { return path; }

    /** The string map under {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() { return metadata; }

    /** Tensors in header order. */
    public List<SafetensorsTensor> tensors() { return List.copyOf(tensors.values()); }

    public boolean hasTensor(String name) { return tensors.containsKey(name); }

    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
        return t;
    }

    /** A read-only slice of the mapping holding the tensor's bytes. */
    public MemorySegment data(SafetensorsTensor t) {
        return mapped.asSlice(dataStart + t.begin(), t.byteSize()).asReadOnly();
    }

    /** The GGML type that reads this dtype's bytes unchanged (F32, F16, BF16). */
    public GgmlType ggmlType(SafetensorsTensor t) {
        return switch (t.dtype()) {
            case "F32" -> GgmlType.F32;
            case "F16" -> GgmlType.F16;
            case "BF16" -> GgmlType.BF16;
            default -> throw new UnsupportedOperationException(path + ": tensor '" + t.name() + "' has dtype " + t.dtype() + " (only F32, F16 and BF16 are read)");
        };
    }

    /**
     * A 2-D tensor [rows, cols] (PyTorch Linear weight: [out, in]) or 1-D [n] (1 row) as a
     * {@link WeightMatrix}, without copying.
     */
    public WeightMatrix matrix(String name) {
        SafetensorsTensor t = tensor(name);
        long[] s = t.shape();
        if (s.length < 1 || s.length > 2) throw new IllegalArgumentException(path + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(s) + ", not a matrix");
        long rows = s.length == 2 ? s[0] : 1, cols = s[s.length - 1];
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) throw new IllegalArgumentException(path + ": tensor '" + name + "' is too large for a WeightMatrix");
        return new WeightMatrix(ggmlType(t), (int) rows, (int) cols, data(t));
    }

    /** Any F32/F16/BF16 tensor decoded to fp32 (row-major). */
    public float[] toFloat(String name) {
        SafetensorsTensor t = tensor(name);
        GgmlType g = ggmlType(t);
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(path + ": tensor '" + name + "' has too many elements for a float[]");
        float[] out = new float[(int) n];
        if (n > 0) g.format().dequantize(data(t), 0, out, 0, (int) n);
        return out;
    }

    @Override public void close() { arena.close(); }
}
