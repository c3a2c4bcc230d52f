package dev.quant4j.core.numerics;

import java.util.Objects;

/**
 * Packing of 4-bit integers (ONNX INT4 and UINT4), two to a byte, in ONNX order: element {@code 2i}
 * in the low nibble of byte {@code i}, element {@code 2i+1} in the high nibble. An odd count leaves
 * the last high nibble zero.
 *
 * <pre>
 *   byte i:  bit 7 ..... 4 | 3 ..... 0
 *            element 2i+1  | element 2i
 * </pre>
 *
 * INT4 nibbles hold two's complement values -8..7; UINT4 nibbles hold 0..15.
 */
public final class Int4 {
    private Int4() {}

    /** Bytes needed for {@code count} packed 4-bit elements. */
    public static int packedLength(int count) {
        if (count < 0) throw new IllegalArgumentException("negative element count " + count);
        return (count + 1) >>> 1;
    }

    /**
     * Packs {@code values} (each must already be in range: -8..7 if {@code signed}, else 0..15) into
     * a new array of {@link #packedLength} bytes.
     */
    public static byte[] pack(int[] values, boolean signed) {
        byte[] out = new byte[packedLength(values.length)];
        for (int i = 0; i < values.length; i++) set(out, i, values[i], signed);
        return out;
    }

    /** Unpacks {@code count} elements. */
    public static int[] unpack(byte[] packed, int count, boolean signed) {
        if (packedLength(count) > packed.length) {
            throw new IllegalArgumentException(count + " 4-bit elements need " + packedLength(count)
                    + " bytes, only " + packed.length + " given");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = get(packed, i, signed);
        return out;
    }

    /** Element {@code index} of a packed array. */
    public static int get(byte[] packed, int index, boolean signed) {
        Objects.checkIndex(index >>> 1, packed.length);
        int nibble = (packed[index >>> 1] >>> ((index & 1) << 2)) & 0xF;
        return signed ? (nibble << 28) >> 28 : nibble;
    }

    /** Stores {@code value} as element {@code index}; throws if it does not fit the type. */
    public static void set(byte[] packed, int index, int value, boolean signed) {
        if (signed ? (value < -8 || value > 7) : (value < 0 || value > 15)) {
            throw new IllegalArgumentException("value " + value + " at index " + index + " does not fit "
                    + (signed ? "INT4 (-8..7)" : "UINT4 (0..15)"));
        }
        int shift = (index & 1) << 2;
        int b = packed[index >>> 1] & ~(0xF << shift);
        packed[index >>> 1] = (byte) (b | ((value & 0xF) << shift));
    }
}
