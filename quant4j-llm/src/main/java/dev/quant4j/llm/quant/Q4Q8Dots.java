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
 * Q4_0 rows times {@link Q8Activations}: integer products, one float multiply-add per
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
 * Fixed 256-bit shapes (they exist on every AVX2 and AVX-512 machine). The kernel has a scalar
 * twin ({@link #q4_0Reference}) computing the same integer sums exactly, which the tests compare
 * it with. A Q4_K twin of this kernel (per-sub-block scales and minimums) was written and measured
 * 1.5× slower than the float Q4_K kernel: C2 boxed one vector per row in its nested loop.
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
            default -> null;
        };
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
}
