package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_0, Q4_K and Q8_0 rows times {@link Q8Activations}: integer products, one float multiply-add per
 * group of 32. The float kernels of {@link VectorRowDots} convert every nibble to float (four
 * conversions and four FMAs per 32 weights) and ran compute-bound at ~3 GB/s on one AVX2 core;
 * here 16 code bytes widen to 16 short lanes once, low and high nibbles multiply the activation
 * codes in 16-bit lanes (|q·x| ≤ 15·127, two per lane ≤ 3,810: no overflow), adjacent lanes are
 * summed into 8 int lanes and only those are converted.
 *
 * <pre>
 *  16 code bytes ──zero-extend──▶ s[0..15] (short lanes)
 *  lo = s &amp; 15  (weights 0..15)   hi = s &gt;&gt;&gt; 4  (weights 16..31)
 *  p[j] = lo[j]·xq[j] + hi[j]·xq[16+j]                    (short lanes)
 *  as int lanes: p[2k] | p[2k+1] &lt;&lt; 16  →  (v &lt;&lt; 16 &gt;&gt; 16) + (v &gt;&gt; 16) = p[2k] + p[2k+1]
 * </pre>
 * Fixed 256-bit shapes (they exist on every AVX2 and AVX-512 machine). Each kernel has a scalar
 * twin ({@link #q4_0Reference}, {@link #q4_kReference}, {@link #q8_0Reference}) computing the
 * same integer sums exactly, which the tests compare it with.
 */
final class Q4Q8Dots {
    private Q4Q8Dots() {}

    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** True when 256-bit vectors are compiled to machine vectors (else the float kernels stay). */
    static final boolean USABLE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    /** A row dot with quantized activations. */
    interface Kernel { float dot(MemorySegment w, long off, Q8Activations a, int n); }

    /**
     * The kernel {@link WeightMatrix#matvecQuantizedInput} uses for {@code type}, or null: for
     * types without one, without 256-bit vectors, or when {@code -Dquant4j.llm.scalar=true} asks
     * for the scalar references.
     */
    static Kernel of(GgmlType type) {
        if (!USABLE || Boolean.getBoolean("quant4j.llm.scalar")) return null;
        return switch (type) {
            case Q4_0 -> Q4Q8Dots::q4_0;
            case Q4_K -> Q4Q8Dots::q4_k;
            case Q8_0 -> Q4Q8Dots::q8_0;
            default -> null;
        };
    }

    /**
     * y[yo + i] = row i · a for {@code count} consecutive rows of {@code type} (one of the types
     * {@link #of} has a kernel for). Each type has its own loop with a direct call: one loop calling
     * through {@link Kernel} was megamorphic once several types had run in a JVM, and the kernel
     * then ran ~3× slower (SpeedBench's last type, Q4_K: 662 ms/token CPU vs 206 ms alone).
     */
    static void rows(GgmlType type, MemorySegment w, long off, long rowBytes, int count, Q8Activations a, int n, float[] y, int yo) {
        switch (type) {
            case Q4_0 -> { for (int r = 0; r < count; r++, off += rowBytes) y[yo + r] = q4_0(w, off, a, n); }
            case Q4_K -> { for (int r = 0; r < count; r++, off += rowBytes) y[yo + r] = q4_k(w, off, a, n); }
            case Q8_0 -> { for (int r = 0; r < count; r++, off += rowBytes) y[yo + r] = q8_0(w, off, a, n); }
            default -> throw new IllegalArgumentException("no quantized-activation kernel for " + type);
        }
    }

    /** 16 code bytes zero-extended to 16 short lanes. */
    private static ShortVector widen(MemorySegment w, long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B, w, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }

    private static ShortVector codes(short[] xq, int i) {
        return ShortVector.fromArray(S, xq, i);
    }

    /** Adjacent short lanes summed into 8 int lanes, as floats. */
    private static FloatVector pairSum(ShortVector p) {
        IntVector v = p.reinterpretAsInts();
        IntVector pairs = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16));
        return (FloatVector) pairs.convert(VectorOperators.I2F, 0);
    }

    private static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    /** Q4_0: d·dx·(Σq·xq − 8·Σxq) per block; the −8 is taken out with the block's code sum. */
    static float q4_0(MemorySegment w, long off, Q8Activations a, int n) {
        short[] xq = a.q();
        float[] dx = a.d();
        int[] sums = a.sums();
        FloatVector acc = FloatVector.zero(F);
        float corr = 0;
        for (int i = 0, g = 0; i < n; i += 32, g++, off += 18) {
            float s = Le.f16(w, off) * dx[g];
            ShortVector c = widen(w, off + 2);
            ShortVector p = c.and((short) 0xF).mul(codes(xq, i)).add(c.lanewise(VectorOperators.LSHR, 4).mul(codes(xq, i + 16)));
            acc = pairSum(p).fma(FloatVector.broadcast(F, s), acc);
            corr += s * sums[g];
        }
        return sum(acc) - 8 * corr;
    }

    static float q4_0Reference(MemorySegment w, long off, Q8Activations a, int n) {
        float total = 0;
        for (int i = 0, g = 0; i < n; i += 32, g++, off += 18) {
            int acc = 0;
            for (int j = 0; j < 16; j++) {
                int b = Le.u8(w, off + 2 + j);
                acc += ((b & 0xF) - 8) * a.q()[i + j] + ((b >>> 4) - 8) * a.q()[i + 16 + j];
            }
            total += Le.f16(w, off) * a.d()[g] * acc;
        }
        return total;
    }

    /**
     * Q4_K: sub-block j of a super-block is d·sc_j·q − dmin·m_j, so its dot is
     * dx·(d·sc_j·Σq·xq − dmin·m_j·Σxq). One flat loop over 64-weight chunks (sub-blocks 2c and
     * 2c+1 share 32 code bytes: low and high nibbles) with one vector accumulator, the 6-bit
     * scales decoded without branches or calls before any vector of the chunk exists: a nested
     * loop, an if, or a call not inlined with vectors live across it each made C2 box vectors.
     */
    static float q4_k(MemorySegment w, long off, Q8Activations a, int n) {
        short[] xq = a.q();
        float[] dx = a.d();
        int[] sums = a.sums();
        FloatVector acc = FloatVector.zero(F);
        float corr = 0;
        for (int x0 = 0; x0 < n; x0 += 64) {
            long sb = off + 144L * (x0 >>> 8), k = sb + 4;
            int c = (x0 >>> 6) & 3, g = x0 >>> 5, j = 2 * c;
            // KScales layout: j < 4 in the low 6 bits of bytes j (scale) and j+4 (min); j >= 4 split
            // between the nibbles of byte j+4 and the top 2 bits of bytes j-4 (scale) and j (min)
            int lo1 = Le.u8(w, k + j), lo2 = Le.u8(w, k + j + 1), hi1 = Le.u8(w, k + j + 4), hi2 = Le.u8(w, k + j + 5);
            int up1 = Le.u8(w, k + (j & 3)), up2 = Le.u8(w, k + (j & 3) + 1); // bytes j-4, j-3 when j >= 4
            boolean early = c < 2;
            int sc1 = early ? lo1 & 63 : (hi1 & 0xF) | (up1 >>> 6) << 4;
            int sc2 = early ? lo2 & 63 : (hi2 & 0xF) | (up2 >>> 6) << 4;
            int m1 = early ? hi1 & 63 : (hi1 >>> 4) | (lo1 >>> 6) << 4;
            int m2 = early ? hi2 & 63 : (hi2 >>> 4) | (lo2 >>> 6) << 4;
            float d = Le.f16(w, sb), dmin = Le.f16(w, sb + 2);
            float s1 = d * sc1 * dx[g], s2 = d * sc2 * dx[g + 1];
            corr += dmin * (m1 * dx[g] * sums[g] + m2 * dx[g + 1] * sums[g + 1]);
            long q = sb + 16 + 32 * c;
            ShortVector c1 = widen(w, q), c2 = widen(w, q + 16);
            ShortVector lo = c1.and((short) 0xF).mul(codes(xq, x0)).add(c2.and((short) 0xF).mul(codes(xq, x0 + 16)));
            ShortVector hi = c1.lanewise(VectorOperators.LSHR, 4).mul(codes(xq, x0 + 32)).add(c2.lanewise(VectorOperators.LSHR, 4).mul(codes(xq, x0 + 48)));
            acc = pairSum(lo).fma(FloatVector.broadcast(F, s1), acc);
            acc = pairSum(hi).fma(FloatVector.broadcast(F, s2), acc);
        }
        float total = 0; // sum(acc) written out: not inlined here, the call boxed acc once per row
        for (int i = 0; i < acc.length(); i++) total += acc.lane(i);
        return total - corr;
    }

    static float q4_kReference(MemorySegment w, long off, Q8Activations a, int n) {
        float total = 0;
        for (int i = 0; i < n; i += 256, off += 144) {
            float d = Le.f16(w, off), dmin = Le.f16(w, off + 2);
            for (int j = 0; j < 8; j++) {
                int g = (i >>> 5) + j, acc = 0;
                for (int l = 0; l < 32; l++) {
                    int b = Le.u8(w, off + 16 + 32 * (j / 2) + l);
                    acc += ((j & 1) == 0 ? b & 0xF : b >>> 4) * a.q()[32 * g + l];
                }
                total += a.d()[g] * (d * KScales.scale(w, off + 4, j) * acc - dmin * KScales.min(w, off + 4, j) * a.sums()[g]);
            }
        }
        return total;
    }

    /**
     * Q8_0: d·dx·Σq·xq per block. Weight codes are within ±128 and activation codes within
     * ±127, so two products per short lane stay within ±32,512: the same pair-sum as the 4-bit kernels.
     */
    static float q8_0(MemorySegment w, long off, Q8Activations a, int n) {
        short[] xq = a.q();
        float[] dx = a.d();
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0, g = 0; i < n; i += 32, g++, off += 34) {
            float s = Le.f16(w, off) * dx[g];
            ShortVector c1 = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 2, LE).convertShape(VectorOperators.B2S, S, 0);
            ShortVector c2 = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 18, LE).convertShape(VectorOperators.B2S, S, 0);
            ShortVector p = c1.mul(codes(xq, i)).add(c2.mul(codes(xq, i + 16)));
            acc = pairSum(p).fma(FloatVector.broadcast(F, s), acc);
        }
        float total = 0;
        for (int i = 0; i < acc.length(); i++) total += acc.lane(i);
        return total;
    }

    static float q8_0Reference(MemorySegment w, long off, Q8Activations a, int n) {
        float total = 0;
        for (int i = 0, g = 0; i < n; i += 32, g++, off += 34) {
            int acc = 0;
            for (int j = 0; j < 32; j++) acc += w.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 2 + j) * a.q()[i + j];
            total += Le.f16(w, off) * a.d()[g] * acc;
        }
        return total;
    }
}
