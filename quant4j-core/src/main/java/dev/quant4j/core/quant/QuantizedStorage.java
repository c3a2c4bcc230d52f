package dev.quant4j.core.quant;

import dev.quant4j.core.DataType;
import dev.quant4j.core.numerics.Int4;

/**
 * Integer codes to and from their storage bytes (as in ONNX {@code raw_data}): INT4/UINT4 two to a
 * byte, element {@code 2i} in the low nibble ({@link Int4}); 8-bit types one byte; INT16/UINT16 and
 * INT32 little-endian.
 */
public final class QuantizedStorage {
    private QuantizedStorage() {}

    /** Packs {@code codes}; throws naming the index when a code does not fit {@code type}. */
    public static byte[] pack(int[] codes, DataType type) {
        long lo = type.minValue(), hi = type.maxValue();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < lo || codes[i] > hi) {
                throw new IllegalArgumentException("code " + codes[i] + " at index " + i + " does not fit " + type);
            }
        }
        return switch (type) {
            case INT4, UINT4 -> Int4.pack(codes, type == DataType.INT4);
            case INT8, UINT8 -> {
                byte[] b = new byte[codes.length];
                for (int i = 0; i < b.length; i++) b[i] = (byte) codes[i];
                yield b;
            }
            case INT16, UINT16 -> {
                byte[] b = new byte[codes.length * 2];
                for (int i = 0; i < codes.length; i++) { b[2 * i] = (byte) codes[i]; b[2 * i + 1] = (byte) (codes[i] >> 8); }
                yield b;
            }
            case INT32 -> {
                byte[] b = new byte[codes.length * 4];
                for (int i = 0; i < codes.length; i++) {
                    for (int k = 0; k < 4; k++) b[4 * i + k] = (byte) (codes[i] >> (8 * k));
                }
                yield b;
            }
            default -> throw new IllegalArgumentException("no integer storage for " + type);
        };
    }

    /** Unpacks {@code count} codes; throws when {@code raw} is shorter than they need. */
    public static int[] unpack(byte[] raw, DataType type, int count) {
        if (count < 0) throw new IllegalArgumentException("negative count " + count);
        long need = type.byteSize(count);
        if (raw.length < need) {
            throw new IllegalArgumentException(count + " " + type + " codes need " + need + " bytes, only " + raw.length + " given");
        }
        int[] out = new int[count];
        switch (type) {
            case INT4, UINT4 -> { return Int4.unpack(raw, count, type == DataType.INT4); }
            case INT8 -> { for (int i = 0; i < count; i++) out[i] = raw[i]; }
            case UINT8 -> { for (int i = 0; i < count; i++) out[i] = raw[i] & 0xFF; }
            case INT16 -> { for (int i = 0; i < count; i++) out[i] = (short) ((raw[2 * i] & 0xFF) | (raw[2 * i + 1] << 8)); }
            case UINT16 -> { for (int i = 0; i < count; i++) out[i] = (raw[2 * i] & 0xFF) | ((raw[2 * i + 1] & 0xFF) << 8); }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (raw[4 * i] & 0xFF) | ((raw[4 * i + 1] & 0xFF) << 8) | ((raw[4 * i + 2] & 0xFF) << 16) | (raw[4 * i + 3] << 24);
                }
            }
            default -> throw new IllegalArgumentException("no integer storage for " + type);
        }
        return out;
    }
}
