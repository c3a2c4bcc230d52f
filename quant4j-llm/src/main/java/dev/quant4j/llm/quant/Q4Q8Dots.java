package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 *  p[j] = lo[j]·xq[j] + hi[j]·xq[16+j]   (+ Q4_0's −8 offset lanes)   (short lanes)
 *  as int lanes v = p[2k] | p[2k+1] &lt;&lt; 16:  (v + (v &lt;&lt; 16)) &gt;&gt; 16 = p[2k] + p[2k+1]
 * </pre>
 * Per 32 weights that is ~12 vector operations; without a 16-bit multiply-add (x86's pmaddwd)
 * in the Vector API, this is about the floor of the design, and the kernels run compute-bound
 * (~11 G weights/s per core for Q4_0, ~7 for Q4_K, on this 2-core AVX2 VM) rather than at the
 * memory's speed. Measured and dropped: two rows per pass sharing the activation loads (slower
 * out of cache), a vpmulld pair sum, Q4_K unrolled per super-block (over C2's inlining budget).
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
     * {@link #of} has a kernel for), through a method handle that is not a compile-time constant.
     * Why: C2 does not inline a call through such a handle, so each type's row loop is compiled on
     * its own with its kernel inlined. A direct call per type from one switch let C2 inline two
     * kernels into one compilation once two types had run (a model with Q4_0 and Q8_0 matrices, or
     * SpeedBench's types in turn); that compilation hit C2's node budget, left the second kernel's
     * vector helpers as calls and boxed their vectors: Q4_0 decoded at 1.2 tok/s after Q8_0 in one
     * JVM against 10 tok/s alone. The hand-off costs one indirect call per range of rows.
     */
    static void rows(GgmlType type, MemorySegment w, long off, long rowBytes, int count, Q8Activations a, int n, float[] y, int yo) {
        MethodHandle h = ROWS[type.ordinal()];
        if (h == null) throw new IllegalArgumentException("no quantized-activation kernel for " + type);
        try {
            h.invokeExact(w, off, rowBytes, count, a, n, y, yo);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Per type ordinal, the row loop of its kernel; an array (its elements are not constants to C2). */
    private static final MethodHandle[] ROWS = new MethodHandle[GgmlType.values().length];

    static {
        MethodType mt = MethodType.methodType(void.class, MemorySegment.class, long.class, long.class, int.class, Q8Activations.class, int.class, float[].class, int.class);
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ROWS[GgmlType.Q4_0.ordinal()] = l.findStatic(Q4Q8Dots.class, "q4_0Rows", mt);
            ROWS[GgmlType.Q4_K.ordinal()] = l.findStatic(Q4Q8Dots.class, "q4_kRows", mt);
            ROWS[GgmlType.Q8_0.ordinal()] = l.findStatic(Q4Q8Dots.class, "q8_0Rows", mt);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void q4_0Rows(MemorySegment w, long off, long rowBytes, int count, Q8Activations a, int n, float[] y, int yo) {
        for (int r = 0; r < count; r++, off += rowBytes) y[yo + r] = q4_0(w, off, a, n);
    }

    private static void q4_kRows(MemorySegment w, long off, long rowBytes, int count, Q8Activations a, int n, float[] y, int yo) {
        for (int r = 0; r < count; r++, off += rowBytes) y[yo + r] = q4_k(w, off, a, n);
    }

    private static void q8_0Rows(MemorySegment w, long off, long rowBytes, int count, Q8Activations a, int n, float[] y, int yo) {
        for (int r = 0; r < count; r++, off += rowBytes) y[yo + r] = q8_0(w, off, a, n);
    }

    /** 16 code bytes zero-extended to 16 short lanes. */
    private static ShortVector widen(MemorySegment w, long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B, w, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }

    private static ShortVector codes(short[] xq, int i) {
        return ShortVector.fromArray(S, xq, i);
    }

    /**
     * Adjacent short lanes summed into 8 int lanes, as floats: v·(2^16 + 1) puts p[2k] + p[2k+1]
     * (mod 2^16) in the high half of int lane k (the low half adds no carry: its partner is v &lt;&lt; 16,
     * whose low half is 0), and the arithmetic shift sign-extends it — two operations where the
     * shift-and-add form took four. Exact when every pair sum fits in 16 bits (|sum| ≤ 32,767).
     */
    private static FloatVector pairSum(ShortVector p) {
        IntVector v = p.reinterpretAsInts();
        v = v.add(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /** As {@link #pairSum} for pair sums up to ±65,024 (Q8_0: two products of ±128·127 per lane). */
    private static FloatVector widePairSum(ShortVector p) {
        IntVector v = p.reinterpretAsInts();
        IntVector pairs = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16));
        return (FloatVector) pairs.convert(VectorOperators.I2F, 0);
    }

    /**
     * Q4_0 lanes of one block before the pair sum: (lo−8)·xq[j] + (hi−8)·xq[16+j], the −8 added as
     * the activations' precomputed {@link Q8Activations#minus8} lanes (|lane| ≤ 2·8·127: the pair
     * sums fit {@link #pairSum}).
     */
    private static ShortVector q4_0Lanes(ShortVector c, ShortVector x0, ShortVector x1, ShortVector m8) {
        return c.and((short) 0xF).mul(x0).add(c.lanewise(VectorOperators.LSHR, 4).mul(x1)).add(m8);
    }

    /**
     * Q4_0: d·dx·Σ(q−8)·xq per block, two blocks per iteration into two accumulators (the loop
     * overhead and index arithmetic shared, two independent FMA chains). Rows with an odd number
     * of blocks go to {@link #q4_0Blockwise}: a tail loop after this one made C2 box the
     * accumulators (0.45× the speed).
     */
    static float q4_0(MemorySegment w, long off, Q8Activations a, int n) {
        if ((n & 63) != 0) return q4_0Blockwise(w, off, a, n);
        short[] xq = a.q(), m8 = a.minus8();
        float[] dx = a.d();
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int i = 0; i < n; i += 64, off += 36) {
            int g = i >>> 5;
            ShortVector p0 = q4_0Lanes(widen(w, off + 2), codes(xq, i), codes(xq, i + 16), codes(m8, i >>> 1));
            ShortVector p1 = q4_0Lanes(widen(w, off + 20), codes(xq, i + 32), codes(xq, i + 48), codes(m8, (i >>> 1) + 16));
            acc0 = pairSum(p0).fma(FloatVector.broadcast(F, Le.f16(w, off) * dx[g]), acc0);
            acc1 = pairSum(p1).fma(FloatVector.broadcast(F, Le.f16(w, off + 18) * dx[g + 1]), acc1);
        }
        return lanesInOrder(acc0.add(acc1));
    }

    /** {@link #q4_0} one block per iteration, for any number of blocks. */
    static float q4_0Blockwise(MemorySegment w, long off, Q8Activations a, int n) {
        short[] xq = a.q(), m8 = a.minus8();
        float[] dx = a.d();
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += 32, off += 18) {
            ShortVector p = q4_0Lanes(widen(w, off + 2), codes(xq, i), codes(xq, i + 16), codes(m8, i >>> 1));
            acc = pairSum(p).fma(FloatVector.broadcast(F, Le.f16(w, off) * dx[i >>> 5]), acc);
        }
        return lanesInOrder(acc);
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
     * dx·d·sc_j·Σq·xq − dmin·m_j·dx·Σxq (the second term from {@link Q8Activations#dsums}).
     * One flat loop over 64-weight chunks (sub-blocks 2c and 2c+1: low and high nibbles of 32 code
     * bytes). The twelve scale bytes are read as three little-endian ints and the four scales and
     * mins of a chunk's half of the super-block unpacked at once (layout in {@link KScales}): byte k
     * of {@code sc}/{@code mn} is sc/m of sub-block k (c &lt; 2) or 4+k (c ≥ 2). Written out four
     * times per super-block, the chunk code exceeded C2's inlining node budget (three chunks were
     * left as calls, 0.8× the speed); a nested loop or a call with vectors live across it made C2
     * box vectors.
     */
    static float q4_k(MemorySegment w, long off, Q8Activations a, int n) {
        short[] xq = a.q();
        float[] dx = a.d(), ds = a.dsums();
        FloatVector acc = FloatVector.zero(F);
        float corr = 0;
        for (int x = 0; x < n; x += 64) {
            long sb = off + 144L * (x >>> 8);
            int c = (x >>> 6) & 3, g = x >>> 5, shift = (c & 1) << 4;
            int A = w.get(Le.I32, sb + 4), B = w.get(Le.I32, sb + 8), C = w.get(Le.I32, sb + 12);
            boolean early = c < 2;
            int sc = (early ? A & 0x3F3F3F3F : (C & 0x0F0F0F0F) | ((A >>> 2) & 0x30303030)) >>> shift;
            int mn = (early ? B & 0x3F3F3F3F : ((C >>> 4) & 0x0F0F0F0F) | ((B >>> 2) & 0x30303030)) >>> shift;
            float d = Le.f16(w, sb);
            corr += Le.f16(w, sb + 2) * ((mn & 0xFF) * ds[g] + (mn >>> 8 & 0xFF) * ds[g + 1]);
            long q = sb + 16 + 32 * c;
            ShortVector c1 = widen(w, q), c2 = widen(w, q + 16);
            ShortVector lo = c1.and((short) 0xF).mul(codes(xq, x)).add(c2.and((short) 0xF).mul(codes(xq, x + 16)));
            ShortVector hi = c1.lanewise(VectorOperators.LSHR, 4).mul(codes(xq, x + 32)).add(c2.lanewise(VectorOperators.LSHR, 4).mul(codes(xq, x + 48)));
            acc = pairSum(lo).fma(FloatVector.broadcast(F, d * (sc & 0xFF) * dx[g]), acc);
            acc = pairSum(hi).fma(FloatVector.broadcast(F, d * (sc >>> 8 & 0xFF) * dx[g + 1]), acc);
        }
        return lanesInOrder(acc) - corr;
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

    /** The lanes summed in lane order (written out: a call here, not inlined, boxed the vector once per row). */
    private static float lanesInOrder(FloatVector v) {
        float total = 0;
        for (int i = 0; i < v.length(); i++) total += v.lane(i);
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
            acc = widePairSum(p).fma(FloatVector.broadcast(F, s), acc);
        }
        return lanesInOrder(acc);
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
