package dev.quant4j.llm.quant;

import dev.quant4j.core.numerics.BFloat16;
import java.lang.foreign.MemorySegment;

/** The unblocked element types: F32, F16 and BF16 (block size 1). Importance is ignored: rounding is exact or to nearest. */
final class FloatFormats {
    private FloatFormats() {}

    static final class F32 implements BlockFormat {
        @Override public GgmlType type() { return GgmlType.F32; }

        @Override public void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n) {
            MemorySegment.copy(src, Le.F32, off, dst, dstOff, n);
        }

        @Override public float dot(MemorySegment src, long off, float[] x, int xOff, int n) {
            float s = 0;
            for (int i = 0; i < n; i++) s += src.get(Le.F32, off + 4L * i) * x[xOff + i];
            return s;
        }

        @Override public void quantize(float[] x, int xOff, float[] imp, int impOff, int n, MemorySegment dst, long off) {
            MemorySegment.copy(x, xOff, dst, Le.F32, off, n);
        }
    }

    /** IEEE 754 binary16, little-endian; converted with round-to-nearest-even. */
    static final class F16 implements BlockFormat {
        @Override public GgmlType type() { return GgmlType.F16; }

        @Override public void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n) {
            for (int i = 0; i < n; i++) dst[dstOff + i] = Le.f16(src, off + 2L * i);
        }

        @Override public float dot(MemorySegment src, long off, float[] x, int xOff, int n) {
            float s = 0;
            for (int i = 0; i < n; i++) s += Le.f16(src, off + 2L * i) * x[xOff + i];
            return s;
        }

        @Override public void quantize(float[] x, int xOff, float[] imp, int impOff, int n, MemorySegment dst, long off) {
            for (int i = 0; i < n; i++) Le.putF16(dst, off + 2L * i, x[xOff + i]);
        }
    }

    /** bfloat16: the upper 16 bits of a float32; conversions from {@link BFloat16} (round to nearest even). */
    static final class BF16 implements BlockFormat {
        @Override public GgmlType type() { return GgmlType.BF16; }

        static float decode(short b) { return BFloat16.toFloat(b); }

        static short encode(float v) { return BFloat16.fromFloat(v); }

        @Override public void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n) {
            for (int i = 0; i < n; i++) dst[dstOff + i] = decode(src.get(Le.I16, off + 2L * i));
        }

        @Override public float dot(MemorySegment src, long off, float[] x, int xOff, int n) {
            float s = 0;
            for (int i = 0; i < n; i++) s += decode(src.get(Le.I16, off + 2L * i)) * x[xOff + i];
            return s;
        }

        @Override public void quantize(float[] x, int xOff, float[] imp, int impOff, int n, MemorySegment dst, long off) {
            for (int i = 0; i < n; i++) dst.set(Le.I16, off + 2L * i, encode(x[xOff + i]));
        }
    }
}
