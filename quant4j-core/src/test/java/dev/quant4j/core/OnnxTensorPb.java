package dev.quant4j.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: reads a serialized ONNX {@code TensorProto} (the {@code input_K.pb}/{@code output_K.pb}
 * files of the ONNX backend tests) with a minimal protobuf wire-format decoder. Knows the fields the
 * quantization tests use: dims (1), data_type (2), float_data (4), int32_data (5), int64_data (7),
 * raw_data (9). Everything else is skipped by wire type.
 */
public record OnnxTensorPb(long[] dims, int dataType, byte[] raw, List<Long> ints, List<Float> floats) {

    public static OnnxTensorPb read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> dims = new ArrayList<>(), ints = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        int type = 0;
        byte[] raw = null;
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3), wire = (int) (key & 7);
            switch (wire) {
                case 0 -> {
                    long v = varint(b);
                    if (field == 1) dims.add(v);
                    else if (field == 2) type = (int) v;
                    else if (field == 5 || field == 7) ints.add(v);
                }
                case 1 -> b.position(b.position() + 8);
                case 5 -> {
                    float f = b.getFloat();
                    if (field == 4) floats.add(f);
                }
                case 2 -> {
                    int len = (int) varint(b);
                    if (len < 0 || len > b.remaining()) throw new IOException(file + ": field " + field + " length " + len + " beyond the file");
                    ByteBuffer sub = b.slice(b.position(), len).order(ByteOrder.LITTLE_ENDIAN);
                    b.position(b.position() + len);
                    switch (field) {
                        case 1 -> { while (sub.hasRemaining()) dims.add(varint(sub)); }
                        case 4 -> { while (sub.hasRemaining()) floats.add(sub.getFloat()); }
                        case 5, 7 -> { while (sub.hasRemaining()) ints.add(varint(sub)); }
                        case 9 -> { raw = new byte[len]; sub.get(raw); }
                        default -> { }
                    }
                }
                default -> throw new IOException(file + ": unsupported wire type " + wire);
            }
        }
        return new OnnxTensorPb(dims.stream().mapToLong(Long::longValue).toArray(), type, raw, ints, floats);
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        throw new IllegalStateException("varint too long");
    }

    public int count() {
        long n = 1;
        for (long d : dims) n *= d;
        return (int) n;
    }

    public float[] asFloats() {
        if (raw == null) {
            float[] f = new float[floats.size()];
            for (int i = 0; i < f.length; i++) f[i] = floats.get(i);
            return f;
        }
        float[] f = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    /** Integer elements of an 8/16/32-bit integer tensor, or the 16-bit codes of FLOAT16/BFLOAT16. */
    public int[] asInts() {
        DataType t = DataType.fromOnnx(dataType);
        int n = count();
        int[] out = new int[n];
        if (raw == null) {
            for (int i = 0; i < n; i++) out[i] = (int) (long) ints.get(i);
            if (t == DataType.INT8) for (int i = 0; i < n; i++) out[i] = (byte) out[i];
            return out;
        }
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = switch (t) {
                case INT8 -> raw[i];
                case UINT8 -> raw[i] & 0xFF;
                case INT16 -> bb.getShort(2 * i);
                case FLOAT16, BFLOAT16, UINT16 -> bb.getShort(2 * i) & 0xFFFF;
                case INT32 -> bb.getInt(4 * i);
                default -> throw new IllegalArgumentException("not an integer tensor: " + t);
            };
        }
        return out;
    }
}
