package dev.quant4j.core.numerics;

import dev.quant4j.core.DataType;
import java.util.Objects;

/**
 * The four ONNX 8-bit float formats and their exact conversions to and from float32.
 *
 * <pre>
 *   E4M3FN, E4M3FNUZ:  s eeee mmm     E5M2, E5M2FNUZ:  s eeeee mm
 *
 *              bias  Inf          NaN                 max finite   negative zero
 *   E4M3FN       7   none         s.1111.111          448          yes
 *   E4M3FNUZ     8   none         1.0000.000 (0x80)   240          no
 *   E5M2        15   s.11111.00   s.11111.{01,10,11}  57344        yes
 *   E5M2FNUZ    16   none         1.0000.000 (0x80)   57344        no
 * </pre>
 *
 * Float to fp8 rounds to nearest, ties to even, then applies the rules of the ONNX Cast operator
 * (opset 19+): with {@code saturate} a result beyond the largest finite value, and ±Inf, become
 * ±max in all four formats; without {@code saturate} they become NaN, except in E5M2, which has
 * infinities. "Beyond" is judged after rounding, so for E4M3FN 464 (the tie between 448 and the
 * missing 480) still rounds to 448 while anything above 464 overflows. NaN keeps its sign where the
 * format has signed NaNs; -0 stays -0 where the format has it and becomes +0 in the FNUZ formats.
 *
 * <p>Two sources disagree with that and quant4j follows the operator specification: the older
 * technical note "Float stored in 8 bits" maps ±Inf to NaN for the FNUZ formats even when
 * saturating (the operator table and ONNX Runtime say ±max); and ONNX Runtime 1.23's CPU Cast,
 * without saturation, gives ±448 for E4M3FN inputs in [480, 496) and NaN for E5M2 inputs in
 * [61440, 65536) where the specification says NaN and ±Inf (pinned down by the ORT oracle test).
 */
public enum Float8Format {
    E4M3FN(DataType.FLOAT8E4M3FN, 4, 3, 7, Kind.FINITE),
    E4M3FNUZ(DataType.FLOAT8E4M3FNUZ, 4, 3, 8, Kind.UNSIGNED_ZERO),
    E5M2(DataType.FLOAT8E5M2, 5, 2, 15, Kind.IEEE),
    E5M2FNUZ(DataType.FLOAT8E5M2FNUZ, 5, 2, 16, Kind.UNSIGNED_ZERO);

    /** How a format spends its top codes on NaN and infinity. */
    private enum Kind {
        /** Only all-ones exponent and mantissa is NaN; no infinity. */
        FINITE,
        /** IEEE-like: all-ones exponent is Inf (mantissa 0) or NaN. */
        IEEE,
        /** The single code 0x80 ("negative zero") is NaN; no infinity, no -0. */
        UNSIGNED_ZERO
    }

    private final DataType type;
    private final int manBits;
    private final int bias;
    private final Kind kind;
    private final int minNormalExp;
    private final int maxCode;
    private final float max;
    private final float[] decodeTable = new float[256];

    Float8Format(DataType type, int expBits, int manBits, int bias, Kind kind) {
        this.type = type;
        this.manBits = manBits;
        this.bias = bias;
        this.kind = kind;
        this.minNormalExp = 1 - bias;
        int expMask = (1 << expBits) - 1;
        this.maxCode = switch (kind) {
            case FINITE -> 0x7E;
            case IEEE -> ((expMask - 1) << manBits) | ((1 << manBits) - 1);
            case UNSIGNED_ZERO -> 0x7F;
        };
        for (int c = 0; c < 256; c++) decodeTable[c] = valueOf(c, expBits);
        this.max = decodeTable[maxCode];
    }

    private float valueOf(int code, int expBits) {
        int sign = code & 0x80;
        int e = (code >>> manBits) & ((1 << expBits) - 1);
        int m = code & ((1 << manBits) - 1);
        int expMask = (1 << expBits) - 1;
        switch (kind) {
            case FINITE -> { if ((code & 0x7F) == 0x7F) return Float.NaN; }
            case IEEE -> { if (e == expMask) return m == 0 ? (sign != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY) : Float.NaN; }
            case UNSIGNED_ZERO -> { if (code == 0x80) return Float.NaN; }
        }
        double mag = e == 0
                ? Math.scalb((double) m, minNormalExp - manBits)
                : Math.scalb((double) ((1 << manBits) | m), e - bias - manBits);
        return (float) (sign != 0 ? -mag : mag);
    }

    /** The matching {@link DataType}. */
    public DataType dataType() { return type; }

    /** The format for an fp8 {@link DataType}. */
    public static Float8Format of(DataType t) {
        for (Float8Format f : values()) if (f.type == t) return f;
        throw new IllegalArgumentException(t + " is not an 8-bit float type");
    }

    /** Largest finite value. */
    public float max() { return max; }

    public boolean hasInfinity() { return kind == Kind.IEEE; }

    public boolean hasNegativeZero() { return kind != Kind.UNSIGNED_ZERO; }

    /** Exact float value of the 8-bit code (NaN codes give NaN). */
    public float decode(byte code) {
        return decodeTable[code & 0xFF];
    }

    /** The code nearest to {@code x} (ties to even) under the ONNX saturation rules. */
    public byte encode(float x, boolean saturate) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 24) & 0x80;
        if (Float.isNaN(x)) return nan(sign);
        float a = Math.abs(x);
        if (a == Float.POSITIVE_INFINITY) {
            if (saturate) return (byte) (sign | maxCode);
            return kind == Kind.IEEE ? (byte) (sign | (maxCode + 1)) : nan(sign);
        }
        // The quantum (spacing) at a's exponent, clamped to the subnormal spacing; scaling by a power
        // of two and rint() in double are exact for a float input, so this is exact RNE.
        int quantumExp = Math.max(Math.getExponent(a), minNormalExp) - manBits;
        double r = Math.rint(Math.scalb((double) a, -quantumExp));
        if (r == 0) return zero(sign);
        double v = Math.scalb(r, quantumExp);
        if (v > max) {
            if (saturate) return (byte) (sign | maxCode);
            return kind == Kind.IEEE ? (byte) (sign | (maxCode + 1)) : nan(sign);
        }
        int e = Math.getExponent(v);
        int code;
        if (e < minNormalExp) {
            code = (int) Math.scalb(v, manBits - minNormalExp);
        } else {
            code = ((e + bias) << manBits) | ((int) Math.scalb(v, manBits - e) - (1 << manBits));
        }
        return (byte) (sign | code);
    }

    private byte nan(int sign) {
        return kind == Kind.UNSIGNED_ZERO ? (byte) 0x80 : (byte) (sign | 0x7F);
    }

    private byte zero(int sign) {
        return kind == Kind.UNSIGNED_ZERO ? 0 : (byte) sign;
    }

    public boolean isNaN(byte code) {
        return Float.isNaN(decode(code));
    }

    public void encode(float[] src, int srcOff, byte[] dst, int dstOff, int n, boolean saturate) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) dst[dstOff + i] = encode(src[srcOff + i], saturate);
    }

    public void decode(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) dst[dstOff + i] = decodeTable[src[srcOff + i] & 0xFF];
    }

    public byte[] encode(float[] src, boolean saturate) {
        byte[] out = new byte[src.length];
        encode(src, 0, out, 0, src.length, saturate);
        return out;
    }

    public float[] decode(byte[] src) {
        float[] out = new float[src.length];
        decode(src, 0, out, 0, src.length);
        return out;
    }
}
