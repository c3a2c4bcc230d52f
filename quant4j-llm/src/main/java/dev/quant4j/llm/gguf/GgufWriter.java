package dev.quant4j.llm.gguf;

import dev.quant4j.core.io.AtomicFiles;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes a GGUF v3 file (layout in {@link GgufReader}): metadata in insertion order, tensor infos,
 * padding to the alignment, and each tensor's bytes at an aligned offset. Tensor offsets are the
 * running sum of the padded tensor sizes in the order the tensors were added, which is what
 * llama.cpp's loader checks. The file is written to
 * a temporary file next to the target and moved into place, so a failed write leaves no partial
 * output; a path that metadata was copied from is never overwritten.
 */
public final class GgufWriter {
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Path> inputs = new ArrayList<>();

    private record Tensor(String name, GgmlType type, long[] dims, MemorySegment data) {}

    /** Sets (or replaces) one metadata value. */
    public GgufWriter put(String key, GgufValue value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("metadata key must not be empty");
        if (key.equals("general.alignment")) {
            if (value.type() != GgufValueType.UINT32) throw new IllegalArgumentException("general.alignment must be UINT32");
            long a = (Long) value.value();
            if (a == 0 || Long.bitCount(a) != 1) throw new IllegalArgumentException("general.alignment " + a + " is not a power of two");
        }
        metadata.put(key, value);
        return this;
    }

    /** Copies the metadata of {@code src} whose key passes {@code keys} (e.g. {@code k -> k.startsWith("tokenizer.")}), with its types. */
    public GgufWriter copyMetadata(GgufFile src, Predicate<String> keys) {
        src.typedMetadata().forEach((k, v) -> { if (keys.test(k)) put(k, v); });
        inputs.add(src.path());
        return this;
    }

    /** Adds a tensor; {@code dims} in GGML order (dims[0] innermost), {@code data} exactly its bytes. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
        if (tensors.stream().anyMatch(t -> t.name.equals(name))) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        // GGML_MAX_NAME is 64 including the terminating NUL: llama.cpp refuses longer names
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63)
            throw new IllegalArgumentException("tensor name '" + name + "' must be 1 to 63 UTF-8 bytes (GGML_MAX_NAME)");
        if (dims.length < 1 || dims.length > GgufReader.MAX_DIMS) throw new IllegalArgumentException("tensor '" + name + "' rank " + dims.length);
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension");
            n = Math.multiplyExact(n, d);
        }
        if (dims[0] % type.blockSize() != 0)
            throw new IllegalArgumentException("tensor '" + name + "': " + dims[0] + " columns is not a multiple of the " + type + " block size " + type.blockSize());
        long bytes = type.byteSize(n);
        if (data.byteSize() != bytes)
            throw new IllegalArgumentException("tensor '" + name + "' (" + type + " " + java.util.Arrays.toString(dims) + ") needs " + bytes + " bytes, got " + data.byteSize());
        tensors.add(new Tensor(name, type, dims.clone(), data));
        return this;
    }

    /** Adds a matrix as a 2-D tensor with dims {cols, rows}. */
    public GgufWriter addTensor(String name, WeightMatrix m) {
        return addTensor(name, m.type(), new long[] {m.cols(), m.rows()}, m.data());
    }

    private long alignment() {
        GgufValue a = metadata.get("general.alignment");
        return a == null ? GgufReader.DEFAULT_ALIGNMENT : (Long) a.value();
    }

    /** Writes the file to {@code out} through a temporary file in the same folder. */
    public void write(Path out) {
        Path target = out.toAbsolutePath().normalize();
        for (Path in : inputs) {
            try {
                if (Files.exists(target) && Files.isSameFile(in, target))
                    throw new IllegalArgumentException("refusing to overwrite the input " + in + " with the output");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long align = alignment();
        Le b = new Le();
        b.u32(GgufReader.MAGIC).u32(3).u64(tensors.size()).u64(metadata.size());
        metadata.forEach((k, v) -> { b.str(k); b.u32(v.type().id()); b.value(v.type(), v.elementType(), v.value()); });
        long[] offsets = new long[tensors.size()];
        long off = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            offsets[i] = off;
            b.str(t.name).u32(t.dims.length);
            for (long d : t.dims) b.u64(d);
            b.u32(t.type.id()).u64(off);
            off = align(off + t.data.byteSize(), align);
        }
        byte[] header = b.toByteArray();
        long dataStart = align(header.length, align);
        Path dir = target.getParent();
        Path tmp = null;
        try {
            tmp = AtomicFiles.sibling(target);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(header));
                for (int i = 0; i < tensors.size(); i++) {
                    ch.position(dataStart + offsets[i]);
                    writeSegment(ch, tensors.get(i).data);
                }
                // padding after the last tensor keeps the file length a multiple of the alignment, as GGML
                // writes it; a metadata-only file ends right after its header, like the vocabulary files
                long end = dataStart + off;
                if (!tensors.isEmpty() && ch.size() < end) { ch.position(end - 1); writeFully(ch, ByteBuffer.wrap(new byte[1])); }
                ch.force(true);
            }
            AtomicFiles.moveIntoPlace(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write GGUF file " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
        }
    }

    static long align(long v, long a) { return (v + a - 1) / a * a; }

    private static void writeSegment(FileChannel ch, MemorySegment d) throws IOException {
        if (d.isNative()) {
            for (long p = 0; p < d.byteSize(); p += 1 << 30)
                writeFully(ch, d.asSlice(p, Math.min(1L << 30, d.byteSize() - p)).asByteBuffer());
            return;
        }
        // heap segments over float[] etc. cannot be viewed as a ByteBuffer: copy through a byte chunk
        byte[] chunk = new byte[(int) Math.min(1 << 20, d.byteSize())];
        for (long p = 0; p < d.byteSize(); p += chunk.length) {
            int n = (int) Math.min(chunk.length, d.byteSize() - p);
            MemorySegment.copy(d, java.lang.foreign.ValueLayout.JAVA_BYTE, p, chunk, 0, n);
            writeFully(ch, ByteBuffer.wrap(chunk, 0, n));
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Little-endian encoder of header fields. */
    private static final class Le {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Le u8(int v) { out.write(v); return this; }
        Le u16(int v) { scratch.clear(); scratch.putShort((short) v); out.write(scratch.array(), 0, 2); return this; }
        Le u32(long v) { scratch.clear(); scratch.putInt((int) v); out.write(scratch.array(), 0, 4); return this; }
        Le u64(long v) { scratch.clear(); scratch.putLong(v); out.write(scratch.array(), 0, 8); return this; }

        Le str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        void value(GgufValueType t, GgufValueType et, Object v) {
            switch (t) {
                case UINT8 -> u8((Integer) v);
                case INT8 -> u8((Byte) v);
                case UINT16 -> u16((Integer) v);
                case INT16 -> u16((Short) v);
                case UINT32 -> u32((Long) v);
                case INT32 -> u32((Integer) v);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) v));
                case BOOL -> u8((Boolean) v ? 1 : 0);
                case STRING -> str((String) v);
                case UINT64, INT64 -> u64((Long) v);
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) v));
                case ARRAY -> {
                    List<?> l = (List<?>) v;
                    u32(et.id());
                    u64(l.size());
                    for (Object o : l) {
                        if (et == GgufValueType.ARRAY) {
                            GgufValue inner = (GgufValue) o;
                            value(GgufValueType.ARRAY, inner.elementType(), inner.value());
                        } else {
                            if (!et.javaType().isInstance(o))
                                throw new IllegalArgumentException("array of " + et + " holds a " + o.getClass().getSimpleName());
                            value(et, null, o);
                        }
                    }
                }
            }
        }

        byte[] toByteArray() { return out.toByteArray(); }
    }
}
