package dev.quant4j.llm.gguf;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.Le;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the GGUF header, metadata and tensor infos from a mapped file.
 * <pre>
 * offset 0   "GGUF" (47 47 55 46)     uint32 version (2 or 3)
 *        8   uint64 tensor_count      uint64 metadata_kv_count
 *        24  metadata: { string key, uint32 value_type, value } × kv_count
 *            tensor infos: { string name, uint32 n_dims, uint64 dims[n_dims], uint32 ggml_type,
 *                            uint64 offset (relative to the data section) } × tensor_count
 *            padding to general.alignment (default 32)
 *            data section: each tensor at its offset, offsets multiples of the alignment
 * string = uint64 byte length + UTF-8 bytes (no terminator)
 * array  = uint32 element type + uint64 count + elements
 * </pre>
 * Every length and count is checked against the bytes left in the file before anything is
 * allocated, so a corrupt header fails at once with a message instead of an out-of-memory.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4;
    private static final int MAX_NESTING = 8;

    private final Path file;
    private final MemorySegment s;
    private final long size;
    private long pos;
    private final java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    int version;
    final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    final List<GgufTensorInfo> tensors = new ArrayList<>();
    long alignment = DEFAULT_ALIGNMENT;
    long dataOffset;

    GgufReader(Path file, MemorySegment s) {
        this.file = file;
        this.s = s;
        this.size = s.byteSize();
    }

    GgufFormatException error(String problem) {
        return new GgufFormatException(file, problem + " (at byte " + pos + " of " + size + ")");
    }

    private void need(long bytes, String what) {
        if (bytes < 0 || bytes > size - pos)
            throw error("truncated: " + what + " needs " + bytes + " bytes, " + (size - pos) + " left");
    }

    private int i32(String what) { need(4, what); int v = s.get(Le.I32, pos); pos += 4; return v; }
    private long i64(String what) { need(8, what); long v = s.get(Le.I64, pos); pos += 8; return v; }

    /** A count that must fit in the rest of the file at {@code minEach} bytes per item. */
    private long count(String what, long minEach) {
        long n = i64(what);
        if (n < 0 || n > Integer.MAX_VALUE - 8 || (minEach > 0 && n > (size - pos) / minEach))
            throw error("impossible " + what + " " + Long.toUnsignedString(n) + ": the " + (size - pos) + " bytes left hold at most " + (size - pos) / Math.max(1, minEach));
        return n;
    }

    private String string(String what) {
        long len = i64(what + " length");
        if (len < 0 || len > size - pos) throw error("impossible " + what + " length " + Long.toUnsignedString(len) + ": " + (size - pos) + " bytes left");
        if (len > Integer.MAX_VALUE - 8) throw error(what + " of " + len + " bytes is too long");
        byte[] b = new byte[(int) len];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, pos, b, 0, b.length);
        pos += len;
        try {
            return utf8.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            // GGUF requires UTF-8, but real vocabularies hold stray bytes: keep them, replaced
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    void read() {
        need(24, "header");
        int magic = i32("magic");
        if (magic != MAGIC) {
            String seen = String.format("%02x %02x %02x %02x", magic & 0xFF, magic >>> 8 & 0xFF, magic >>> 16 & 0xFF, magic >>> 24 & 0xFF);
            throw new GgufFormatException(file, "not a GGUF file: magic is " + seen + ", expected 47 47 55 46 (\"GGUF\")");
        }
        version = i32("version");
        if (version == 1) throw error("GGUF version 1 (32-bit counts) is not supported; convert the file to v2/v3");
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3)
            throw error("big-endian GGUF (version field " + Integer.toHexString(version) + ") is not supported");
        if (version != 2 && version != 3) throw error("unsupported GGUF version " + version + " (supported: 2, 3)");
        long nTensors = i64("tensor count");
        long nKv = i64("metadata count");
        // each metadata entry takes ≥ 13 bytes (key length, type, 1-byte value), each tensor info ≥ 32
        if (nKv < 0 || nKv > (size - pos) / 13) throw error("impossible metadata count " + Long.toUnsignedString(nKv));
        if (nTensors < 0 || nTensors > (size - pos) / 32) throw error("impossible tensor count " + Long.toUnsignedString(nTensors));
        for (long i = 0; i < nKv; i++) {
            long at = pos;
            String key = string("metadata key #" + i);
            int typeId = i32("type of '" + key + "'");
            GgufValueType t = GgufValueType.byId(typeId);
            if (t == null) throw error("metadata '" + key + "' has unknown value type " + typeId);
            GgufValue v = value(t, key, 0);
            if (metadata.putIfAbsent(key, v) != null) { pos = at; throw error("duplicate metadata key '" + key + "'"); }
        }
        GgufValue a = metadata.get("general.alignment");
        if (a != null) {
            if (a.type() != GgufValueType.UINT32) throw error("general.alignment must be UINT32, is " + a.type());
            long al = (Long) a.value();
            if (al == 0 || Long.bitCount(al) != 1) throw error("general.alignment " + al + " is not a power of two");
            alignment = al;
        }
        Set<String> names = new HashSet<>();
        List<long[]> raw = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            String name = string("tensor name #" + i);
            if (!names.add(name)) throw error("duplicate tensor name '" + name + "'");
            int nd = i32("rank of tensor '" + name + "'");
            if (nd < 1 || nd > MAX_DIMS) throw error("tensor '" + name + "' has rank " + nd + " (1.." + MAX_DIMS + " allowed)");
            long[] dims = new long[nd];
            for (int d = 0; d < nd; d++) {
                dims[d] = i64("dimension of tensor '" + name + "'");
                if (dims[d] < 0) throw error("tensor '" + name + "' has negative dimension " + Long.toUnsignedString(dims[d]));
            }
            int typeId = i32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) throw error("tensor '" + name + "' has unknown GGML type id " + typeId);
            long off = i64("offset of tensor '" + name + "'");
            long count;
            try {
                count = 1;
                for (long d : dims) count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw error("tensor '" + name + "' dimensions " + java.util.Arrays.toString(dims) + " overflow");
            }
            if (dims[0] % type.blockSize() != 0)
                throw error("tensor '" + name + "' of type " + type + " has " + dims[0] + " columns, not a multiple of the block size " + type.blockSize());
            long bytes;
            try {
                bytes = type.byteSize(count);
            } catch (ArithmeticException e) {
                throw error("tensor '" + name + "' byte size overflows");
            }
            if (off < 0 || off % alignment != 0) throw error("tensor '" + name + "' offset " + Long.toUnsignedString(off) + " is not a multiple of the alignment " + alignment);
            tensors.add(new GgufTensorInfo(name, dims, type, off, bytes));
            raw.add(new long[] {off, bytes});
        }
        dataOffset = (pos + alignment - 1) / alignment * alignment;
        if (!tensors.isEmpty() && dataOffset > size) throw error("data section starts at " + dataOffset + ", past the end of the file");
        long dataSize = size - Math.min(size, dataOffset);
        for (GgufTensorInfo t : tensors) {
            if (t.offset() > dataSize || t.byteSize() > dataSize - t.offset())
                throw new GgufFormatException(file, "tensor '" + t.name() + "' (" + t.type() + " " + java.util.Arrays.toString(t.dims())
                        + ", " + t.byteSize() + " bytes at data offset " + t.offset() + ") extends past the end of the file: the data section holds " + dataSize + " bytes");
        }
    }

    private GgufValue value(GgufValueType t, String key, int depth) {
        String what = "value of '" + key + "'";
        return switch (t) {
            case UINT8 -> { need(1, what); yield GgufValue.of(t, Le.u8(s, pos++)); }
            case INT8 -> { need(1, what); yield GgufValue.of(t, s.get(ValueLayout.JAVA_BYTE, pos++)); }
            case UINT16 -> { need(2, what); int v = s.get(Le.I16, pos) & 0xFFFF; pos += 2; yield GgufValue.of(t, v); }
            case INT16 -> { need(2, what); short v = s.get(Le.I16, pos); pos += 2; yield GgufValue.of(t, v); }
            case UINT32 -> GgufValue.of(t, i32(what) & 0xFFFF_FFFFL);
            case INT32 -> GgufValue.of(t, i32(what));
            case FLOAT32 -> GgufValue.of(t, Float.intBitsToFloat(i32(what)));
            case BOOL -> {
                need(1, what);
                int b = Le.u8(s, pos++);
                if (b > 1) { pos--; throw error("metadata '" + key + "' is a BOOL with byte value " + b); }
                yield GgufValue.of(t, b == 1);
            }
            case STRING -> GgufValue.of(t, string(what));
            case UINT64, INT64 -> GgufValue.of(t, i64(what));
            case FLOAT64 -> GgufValue.of(t, Double.longBitsToDouble(i64(what)));
            case ARRAY -> {
                if (depth >= MAX_NESTING) throw error("metadata '" + key + "' nests arrays deeper than " + MAX_NESTING);
                int et = i32("element type of '" + key + "'");
                GgufValueType e = GgufValueType.byId(et);
                if (e == null) throw error("metadata '" + key + "' is an array of unknown type " + et);
                long n = count("element count of '" + key + "'", e.minSize());
                List<Object> items = new ArrayList<>((int) n);
                for (long i = 0; i < n; i++) {
                    GgufValue v = value(e, key, depth + 1);
                    items.add(e == GgufValueType.ARRAY ? v : v.value());
                }
                yield GgufValue.array(e, items);
            }
        };
    }
}
