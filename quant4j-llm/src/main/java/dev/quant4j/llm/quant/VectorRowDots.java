package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API dot products of one encoded row with fp32 x, for the types a decoder streams most
 * (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K); the other types use the scalar reference. Each block is
 * decoded in registers — bytes widened to as many int/float lanes as the float species has — and
 * multiplied into one vector accumulator, reduced once per row. The byte, short and int species
 * are chosen with the same lane count as the float species so that every widening is one
 * instruction. Tests compare every kernel here against the scalar {@link BlockFormat#dot}.
 */
final class VectorRowDots {
    private VectorRowDots() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16)));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, VectorShape.forBitSize(L * 32));
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** The kernels need whole vectors inside a 16-byte half-block and matching lane counts. */
    static final boolean USABLE = L >= 8 && L <= 16 && B.length() == L && S.length() == L;

    static RowDot of(GgmlType type) {
        if (!USABLE || Boolean.getBoolean("quant4j.llm.scalar")) return null;
        return switch (type) {
            case F32 -> VectorRowDots::f32;
            case F16 -> VectorRowDots::f16;
            case BF16 -> VectorRowDots::bf16;
            case Q8_0 -> VectorRowDots::q8_0;
            case Q4_0 -> VectorRowDots::q4_0;
            case Q4_K -> VectorRowDots::q4_k;
            case Q6_K -> VectorRowDots::q6_k;
            default -> null;
        };
    }

    /**
     * The lanes summed in lane order. reduceLanes(ADD) may add in any order, and its compiled and
     * interpreted forms differ in the last bits, so one row could give two answers in one run.
     */
    static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }

    static FloatVector bytesToFloat(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
    }

    static float f32(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            a0 = FloatVector.fromMemorySegment(F, w, off + 4L * i, LE).fma(FloatVector.fromArray(F, x, xo + i), a0);
            a1 = FloatVector.fromMemorySegment(F, w, off + 4L * (i + L), LE).fma(FloatVector.fromArray(F, x, xo + i + L), a1);
        }
        float s = sum(a0.add(a1));
        for (; i < n; i++) s += w.get(Le.F32, off + 4L * i) * x[xo + i];
        return s;
    }

    /**
     * fp16 → fp32 without a conversion instruction: the 15 magnitude bits shifted into place and
     * multiplied by 2^112 re-bias the exponent (exact for normal and subnormal values); Inf/NaN
     * (exponent 31) are patched with a blend, and the sign is OR-ed back.
     */
    static FloatVector halfToFloat(ShortVector h) {
        IntVector v = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector mag = v.and(0x7FFF);
        FloatVector f = mag.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
        IntVector bits = f.reinterpretAsInts();
        IntVector special = mag.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F80_0000);
        bits = bits.blend(special, mag.compare(VectorOperators.GE, 0x7C00));
        return bits.or(v.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /**
     * fp16 → fp32 for every value except Inf/NaN, in four operations: the sign-extended half shifted
     * left by 13 keeps its sign in bit 31 and its 15 magnitude bits in bits 13..27 (the mask clears
     * the sign copies in 28..30), and ×2^112 re-biases the exponent (exact for normal and subnormal
     * values). An Inf/NaN half (exponent 31) comes out finite with magnitude ≥ 65,536, above every
     * finite half (≤ 65,504): {@link #f16} watches for that and redoes such a row exactly.
     */
    static FloatVector halfToFloatFinite(IntVector signExtended) {
        return signExtended.lanewise(VectorOperators.LSHL, 13).and(0x8FFF_E000).reinterpretAsFloats().mul(0x1p112f);
    }

    /** The largest magnitude {@link #halfToFloatFinite} gives for a finite half; Inf/NaN give more. */
    static final float HALF_FINITE_LIMIT = 65536f;

    /**
     * F16 with the short conversion of {@link #halfToFloatFinite}, 2·L weights per iteration into
     * two accumulators. The running integer maximum of the converted bits (sign cleared) tells
     * whether the row held an Inf or NaN — a float max would be compiled with Java's NaN and −0
     * rules (three blends and a compare per vector) — and such a row is computed again with the
     * exact conversion.
     */
    static float f16(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        IntVector big = IntVector.zero(I);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            long o = off + 2L * i;
            FloatVector h0 = halfToFloatFinite((IntVector) ShortVector.fromMemorySegment(S, w, o, LE).convertShape(VectorOperators.S2I, I, 0));
            FloatVector h1 = halfToFloatFinite((IntVector) ShortVector.fromMemorySegment(S, w, o + 2L * L, LE).convertShape(VectorOperators.S2I, I, 0));
            big = big.max(h0.reinterpretAsInts().and(0x7FFF_FFFF)).max(h1.reinterpretAsInts().and(0x7FFF_FFFF));
            acc0 = h0.fma(FloatVector.fromArray(F, x, xo + i), acc0);
            acc1 = h1.fma(FloatVector.fromArray(F, x, xo + i + L), acc1);
        }
        float s = sum(acc0.add(acc1));
        int max = big.reduceLanes(VectorOperators.MAX);
        if (max >= Float.floatToRawIntBits(HALF_FINITE_LIMIT)) return f16Exact(w, off, x, xo, n);
        for (; i < n; i++) s += Le.f16(w, off + 2L * i) * x[xo + i];
        return s;
    }

    /** F16 with the exact conversion of {@link #halfToFloat} (Inf and NaN included). */
    static float f16Exact(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L)
            acc = halfToFloat(ShortVector.fromMemorySegment(S, w, off + 2L * i, LE)).fma(FloatVector.fromArray(F, x, xo + i), acc);
        float s = sum(acc);
        for (; i < n; i++) s += Le.f16(w, off + 2L * i) * x[xo + i];
        return s;
    }

    static float bf16(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            IntVector v = (IntVector) ShortVector.fromMemorySegment(S, w, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
            acc = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        float s = sum(acc);
        for (; i < n; i++) s += Float.intBitsToFloat((w.get(Le.I16, off + 2L * i) & 0xFFFF) << 16) * x[xo + i];
        return s;
    }

    static float q8_0(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += 32, off += 34) {
            float d = Le.f16(w, off);
            FloatVector blk = FloatVector.zero(F);
            for (int j = 0; j < 32; j += L)
                blk = bytesToFloat(ByteVector.fromMemorySegment(B, w, off + 2 + j, LE)).fma(FloatVector.fromArray(F, x, xo + i + j), blk);
            acc = blk.fma(FloatVector.broadcast(F, d), acc);
        }
        return sum(acc);
    }

    static IntVector bytesToInt(MemorySegment w, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, w, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /**
     * Q4_0, nibbles split on int lanes (see {@link #q6_k}). The −8 offset is subtracted on the
     * integer codes and the scale applied once per block: d·Σ(q−8)·x. Low and high nibbles sum into
     * separate block accumulators, and the row accumulator takes one FMA per block; a single chain
     * through every FMA (as first written) waited on FMA latency, not on the data.
     */
    static float q4_0(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += 32, off += 18) {
            FloatVector lo = FloatVector.zero(F), hi = lo;
            for (int j = 0; j < 16; j += L) {
                IntVector b = bytesToInt(w, off + 2 + j);
                lo = toFloat(b.and(0xF).sub(8)).fma(FloatVector.fromArray(F, x, xo + i + j), lo);
                hi = toFloat(b.lanewise(VectorOperators.LSHR, 4).sub(8)).fma(FloatVector.fromArray(F, x, xo + i + 16 + j), hi);
            }
            acc = lo.add(hi).fma(FloatVector.broadcast(F, Le.f16(w, off)), acc);
        }
        return sum(acc);
    }

    /**
     * Q6_K. The bit fiddling is done on int lanes: x86 has no byte shifts and C2 emulates them
     * slowly (a first version shifting byte lanes ran 10x slower; with all four quarters unrolled
     * on byte lanes it also boxed vectors).
     */
    static float q6_k(MemorySegment w, long off, float[] x, int xo, int n) {
        // one accumulator per quarter: four independent FMA chains instead of one
        FloatVector acc = FloatVector.zero(F), acc2 = acc, acc3 = acc, acc4 = acc;
        for (int i = 0; i < n; i += 256, off += 210) {
            float d = Le.f16(w, off + 208);
            for (int h = 0; h < 2; h++) {
                for (int l = 0; l < 32; l += L) {
                    IntVector a = (IntVector) ByteVector.fromMemorySegment(B, w, off + 64 * h + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector b = (IntVector) ByteVector.fromMemorySegment(B, w, off + 64 * h + 32 + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector qh = (IntVector) ByteVector.fromMemorySegment(B, w, off + 128 + 32 * h + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    long sc = off + 192 + 8 * h + (l >>> 4);
                    float s1 = d * w.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc);
                    float s2 = d * w.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc + 2);
                    float s3 = d * w.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc + 4);
                    float s4 = d * w.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc + 6);
                    IntVector q1 = a.and(0xF).or(qh.and(3).lanewise(VectorOperators.LSHL, 4));
                    IntVector q2 = b.and(0xF).or(qh.and(0xC).lanewise(VectorOperators.LSHL, 2));
                    IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(qh.and(0x30));
                    IntVector q4 = b.lanewise(VectorOperators.LSHR, 4).or(qh.and(0xC0).lanewise(VectorOperators.LSHR, 2));
                    int base = xo + i + 128 * h + l;
                    acc = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).fma(s1, -32 * s1).fma(FloatVector.fromArray(F, x, base), acc);
                    acc2 = ((FloatVector) q2.convert(VectorOperators.I2F, 0)).fma(s2, -32 * s2).fma(FloatVector.fromArray(F, x, base + 32), acc2);
                    acc3 = ((FloatVector) q3.convert(VectorOperators.I2F, 0)).fma(s3, -32 * s3).fma(FloatVector.fromArray(F, x, base + 64), acc3);
                    acc4 = ((FloatVector) q4.convert(VectorOperators.I2F, 0)).fma(s4, -32 * s4).fma(FloatVector.fromArray(F, x, base + 96), acc4);
                }
            }
        }
        return sum(acc.add(acc2).add(acc3.add(acc4)));
    }

    /** Q4_K, nibbles split on int lanes (see {@link #q6_k}). */
    static float q4_k(MemorySegment w, long off, float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F), acc2 = acc; // low and high halves: two FMA chains
        for (int i = 0; i < n; i += 256, off += 144) {
            float d = Le.f16(w, off), dmin = Le.f16(w, off + 2);
            for (int c = 0; c < 4; c++) {
                float d1 = d * KScales.scale(w, off + 4, 2 * c), m1 = -dmin * KScales.min(w, off + 4, 2 * c);
                float d2 = d * KScales.scale(w, off + 4, 2 * c + 1), m2 = -dmin * KScales.min(w, off + 4, 2 * c + 1);
                for (int l = 0; l < 32; l += L) {
                    IntVector b = (IntVector) ByteVector.fromMemorySegment(B, w, off + 16 + 32 * c + l, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    FloatVector lo = ((FloatVector) b.and(0xF).convert(VectorOperators.I2F, 0)).fma(d1, m1);
                    FloatVector hi = ((FloatVector) b.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(d2, m2);
                    acc = lo.fma(FloatVector.fromArray(F, x, xo + i + 64 * c + l), acc);
                    acc2 = hi.fma(FloatVector.fromArray(F, x, xo + i + 64 * c + 32 + l), acc2);
                }
            }
        }
        return sum(acc.add(acc2));
    }
}
