package dev.quant4j.runtime.ops;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Tensors;
import java.lang.foreign.MemorySegment;

/**
 * Element access shared by the math operators that accept every numeric type: floating-point
 * tensors are read and written as double (FLOAT32, FLOAT64, FLOAT16, BFLOAT16), integer tensors
 * as long (unsigned types zero-extended, results wrapped to the type's width).
 */
final class Numeric {
    private Numeric() {}

    /** The elements of a floating-point (or integer) tensor as double. */
    static double[] doubles(Tensor t) {
        if (t.dtype() == DataType.FLOAT64) return t.doubles();
        int n = Tensors.size(t);
        double[] d = new double[n];
        if (t.dtype() == DataType.FLOAT32) {
            float[] f = Tensors.floats(t);
            for (int i = 0; i < n; i++) d[i] = f[i];
        } else {
            for (int i = 0; i < n; i++) d[i] = t.getDouble(i);
        }
        return d;
    }

    /** A floating-point tensor of {@code type} holding {@code v}, each rounded to the type. */
    static Tensor ofDoubles(DataType type, double[] v, long[] shape) {
        return switch (type) {
            case FLOAT64 -> Tensor.ofDoubles(v, shape);
            case FLOAT32 -> {
                float[] f = new float[v.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
                yield Tensors.ofFloats(f, shape);
            }
            case FLOAT16, BFLOAT16 -> {
                short[] h = new short[v.length];
                for (int i = 0; i < h.length; i++) h[i] = type == DataType.FLOAT16 ? Float.floatToFloat16((float) v[i]) : bf16((float) v[i]);
                yield Tensor.wrap(type, MemorySegment.ofArray(h), shape);
            }
            default -> throw new IllegalArgumentException(type + " is not a floating-point type");
        };
    }

    /** Round to nearest even, as the ONNX Cast to BFLOAT16 does; NaN stays a quiet NaN. */
    private static short bf16(float f) {
        if (Float.isNaN(f)) return (short) 0x7FC0;
        int b = Float.floatToRawIntBits(f);
        b += 0x7FFF + ((b >>> 16) & 1);
        return (short) (b >>> 16);
    }

    /**
     * An integer tensor of {@code type} from long values wrapped to its width; unlike
     * {@code Tensors.fromLongs}, a UINT64 result stays UINT64.
     */
    static Tensor ofLongs(DataType type, long[] v, long[] shape) {
        if (type == DataType.UINT64) {
            if (Tensor.elementCount(shape) != v.length) throw new IllegalArgumentException("shape does not hold " + v.length + " elements");
            return Tensor.wrap(type, MemorySegment.ofArray(v), shape);
        }
        return Tensors.fromLongs(type, v, shape);
    }

    static Tensor ofBooleans(boolean[] v, long[] shape) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (v[i] ? 1 : 0);
        return Tensors.ofBytes(DataType.BOOL, b, shape);
    }

    /** Whether integer values of this type compare as unsigned 64-bit numbers (only UINT64 needs it). */
    static boolean unsigned64(DataType t) { return t == DataType.UINT64; }

    static void requireSameType(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException("input types differ: " + a.dtype() + " and " + b.dtype());
    }

    static void requireNumeric(Tensor t) {
        DataType d = t.dtype();
        if (!d.isFloatingPoint() && !d.isInteger()) throw new IllegalArgumentException("expected a numeric tensor, got " + d);
        if (d.bits() < 8 || d.name().startsWith("FLOAT8")) throw new IllegalArgumentException(d + " arithmetic is not supported");
    }
}
