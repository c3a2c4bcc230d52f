package dev.quant4j.core;

/**
 * The element types quant4j stores and computes with, each with its ONNX {@code TensorProto.DataType}
 * code and its width in bits. Conversions live in {@code dev.quant4j.core.numerics}.
 */
public enum DataType {
    FLOAT32(1, 32, true, true),
    UINT8(2, 8, false, false),
    INT8(3, 8, false, true),
    UINT16(4, 16, false, false),
    INT16(5, 16, false, true),
    INT32(6, 32, false, true),
    INT64(7, 64, false, true),
    STRING(8, 0, false, false),
    BOOL(9, 8, false, false),
    FLOAT16(10, 16, true, true),
    FLOAT64(11, 64, true, true),
    UINT32(12, 32, false, false),
    UINT64(13, 64, false, false),
    BFLOAT16(16, 16, true, true),
    FLOAT8E4M3FN(17, 8, true, true),
    FLOAT8E4M3FNUZ(18, 8, true, true),
    FLOAT8E5M2(19, 8, true, true),
    FLOAT8E5M2FNUZ(20, 8, true, true),
    UINT4(21, 4, false, false),
    INT4(22, 4, false, true);

    private final int onnxCode;
    private final int bits;
    private final boolean floatingPoint;
    private final boolean signed;

    DataType(int onnxCode, int bits, boolean floatingPoint, boolean signed) {
        this.onnxCode = onnxCode;
        this.bits = bits;
        this.floatingPoint = floatingPoint;
        this.signed = signed;
    }

    /** The value of ONNX {@code TensorProto.DataType} for this type. */
    public int onnxCode() { return onnxCode; }

    /** Width of one element in bits (4 for the packed 4-bit types, 0 for STRING). */
    public int bits() { return bits; }

    public boolean isFloatingPoint() { return floatingPoint; }

    public boolean isSigned() { return signed; }

    public boolean isInteger() { return !floatingPoint && this != STRING && this != BOOL; }

    /** Bytes needed for {@code count} elements (4-bit types pack two to a byte, rounded up). */
    public long byteSize(long count) {
        if (bits == 0) throw new UnsupportedOperationException("STRING has no fixed size");
        return (count * bits + 7) / 8;
    }

    /** Smallest value of an integer type (as a long). */
    public long minValue() {
        return switch (this) {
            case INT4 -> -8; case INT8 -> Byte.MIN_VALUE; case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE; case INT64 -> Long.MIN_VALUE;
            case UINT4, UINT8, UINT16, UINT32, UINT64, BOOL -> 0;
            default -> throw new UnsupportedOperationException(this + " is not an integer type");
        };
    }

    /** Largest value of an integer type (as a long; UINT64 reports Long.MAX_VALUE). */
    public long maxValue() {
        return switch (this) {
            case INT4 -> 7; case UINT4 -> 15; case INT8 -> Byte.MAX_VALUE; case UINT8 -> 255;
            case INT16 -> Short.MAX_VALUE; case UINT16 -> 65535; case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xFFFF_FFFFL; case INT64, UINT64 -> Long.MAX_VALUE; case BOOL -> 1;
            default -> throw new UnsupportedOperationException(this + " is not an integer type");
        };
    }

    /** The type with this ONNX code; throws with the code when quant4j does not know it. */
    public static DataType fromOnnx(int code) {
        for (DataType t : values()) if (t.onnxCode == code) return t;
        throw new IllegalArgumentException("unsupported ONNX tensor data type " + code);
    }
}
