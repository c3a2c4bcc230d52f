package dev.quant4j.core.quant;

import dev.quant4j.core.DataType;

/**
 * What a quantized tensor should look like, before its parameters are known: the integer type, the
 * scheme, and the range options.
 *
 * <ul>
 *   <li>{@code symmetric}: the zero-point is fixed at the middle of the range: 0 for signed types,
 *       {@code (qmin + qmax + 1) / 2} for unsigned ones (128 for UINT8, 8 for UINT4), as ONNX
 *       Runtime's quantization tool does; the scale then covers {@code [-absmax, absmax]}.
 *   <li>{@code narrowRange}: the most negative code is left unused (INT8 -127..127), so that
 *       symmetric quantization is an odd function.
 *   <li>{@code reducedRange}: one bit fewer (INT8 -64..63, UINT8 0..127), for kernels whose
 *       intermediate sums would otherwise overflow 16 bits (x86 without VNNI).
 * </ul>
 *
 * Supported types: INT4, UINT4, INT8, UINT8, INT16, UINT16, INT32, and the four 8-bit float types
 * (ONNX QuantizeLinear opset 19+), which must be symmetric with zero-point 0 and have no integer
 * code range: quantize them with {@link Float8Quantizer}.
 */
public record QuantSpec(DataType type, boolean symmetric, boolean narrowRange, boolean reducedRange) {

    public QuantSpec {
        if (type == null) throw new IllegalArgumentException("quantization type is null");
        switch (type) {
            case INT4, UINT4, INT8, UINT8, INT16, UINT16, INT32 -> { }
            case FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> {
                if (!symmetric || narrowRange || reducedRange) {
                    throw new IllegalArgumentException(type + " quantization is symmetric (zero-point 0) without range options");
                }
            }
            default -> throw new IllegalArgumentException("cannot quantize to " + type
                    + ": supported are INT4, UINT4, INT8, UINT8, INT16, UINT16, INT32 and the FLOAT8 types");
        }
        if (reducedRange && type.bits() < 8) {
            throw new IllegalArgumentException("reduced range needs at least 8 bits, " + type + " has " + type.bits());
        }
    }

    /** Affine (asymmetric), full range. */
    public static QuantSpec affine(DataType type) { return new QuantSpec(type, false, false, false); }

    /** Symmetric, full range. */
    public static QuantSpec symmetric(DataType type) { return new QuantSpec(type, true, false, false); }

    public QuantSpec withNarrowRange() { return new QuantSpec(type, symmetric, true, reducedRange); }

    public QuantSpec withReducedRange() { return new QuantSpec(type, symmetric, narrowRange, true); }

    /** True for the 8-bit float types. */
    public boolean isFloat8() {
        return type.isFloatingPoint();
    }

    /** Smallest code used (integer types only). */
    public int qmin() {
        requireInteger();
        long lo = type.minValue();
        if (reducedRange) lo = lo / 2;
        if (narrowRange) lo += 1;
        return (int) lo;
    }

    /** Largest code used (integer types only). */
    public int qmax() {
        requireInteger();
        long hi = type.maxValue();
        if (reducedRange) hi = hi / 2;
        return (int) hi;
    }

    private void requireInteger() {
        if (isFloat8()) throw new IllegalStateException(type + " has no integer code range; use Float8Quantizer");
    }

    /** The zero-point of the symmetric scheme for this type and range. */
    public int symmetricZeroPoint() {
        if (isFloat8()) return 0;
        return type.isSigned() ? 0 : (int) (((long) qmin() + qmax() + 1) / 2);
    }
}
