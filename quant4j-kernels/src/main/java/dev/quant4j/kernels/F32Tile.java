package dev.quant4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fp32 micro-kernels: a tile of C kept in vector registers while k runs. Its shape follows
 * the register file: with 512-bit vectors (32 registers) a 4×(4·L) tile, 16 accumulators; with
 * 256-bit vectors (AVX2, 16 registers) a 6×(2·L) tile, 12 accumulators + 2 B + 1 A,
 * since a 16-accumulator tile would spill there.
 *
 * <pre>
 * packed A micro-panel (4 rows):  a[(p·4 + r)·L + l]  each element pre-broadcast to L lanes
 * packed B micro-panel (NR cols): b[p·NR + j]         four vector loads per step p
 *
 *            b0      b1      b2      b3      (L lanes each; NR = 4·L)
 *   a0  →   c00     c01     c02     c03
 *   a1  →   c10     c11     c12     c13
 *   a2  →   c20     c21     c22     c23
 *   a3  →   c30     c31     c32     c33      16 FMAs per 8 loads
 * </pre>
 * A arrives pre-broadcast (L copies of each element, made while packing): a vector load per row
 * instead of a scalar load and a broadcast measured 1.5–1.8× faster here (tile alone, AVX2), as the broadcasts
 * otherwise compete with the FMAs.
 * Written out by hand in one method: a helper that took or returned vectors would, if C2 did not
 * inline it, box the vectors on the heap (machine-limits.md, pitfall 1).
 */
final class F32Tile {
    private F32Tile() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** 512-bit vectors and the 32 registers that come with them (AVX-512). */
    static final boolean WIDE = L >= 16;
    static final int MR = WIDE ? 4 : 6;
    static final int NR = WIDE ? 4 * L : 2 * L;

    /** C[MR×NR] at c[ci], row stride ldc, = (set) or += the product of the two micro-panels over kc steps. */
    static void tile(float[] a, int ai, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean set) {
        if (WIDE) tile4x4(a, ai, b, bi, kc, c, ci, ldc, set);
        else tile6x2(a, ai, b, bi, kc, c, ci, ldc, set);
    }

    private static void tile4x4(float[] a, int ai, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean set) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0; p < kc; p++, ai += MR * L, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, b, bi + 3 * L);
            FloatVector a0 = FloatVector.fromArray(F, a, ai);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.fromArray(F, a, ai + L);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.fromArray(F, a, ai + 2 * L);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.fromArray(F, a, ai + 3 * L);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (!set) {
            c00 = c00.add(FloatVector.fromArray(F, c, ci));          c01 = c01.add(FloatVector.fromArray(F, c, ci + L));
            c02 = c02.add(FloatVector.fromArray(F, c, ci + 2 * L));  c03 = c03.add(FloatVector.fromArray(F, c, ci + 3 * L));
            c10 = c10.add(FloatVector.fromArray(F, c, r1));          c11 = c11.add(FloatVector.fromArray(F, c, r1 + L));
            c12 = c12.add(FloatVector.fromArray(F, c, r1 + 2 * L));  c13 = c13.add(FloatVector.fromArray(F, c, r1 + 3 * L));
            c20 = c20.add(FloatVector.fromArray(F, c, r2));          c21 = c21.add(FloatVector.fromArray(F, c, r2 + L));
            c22 = c22.add(FloatVector.fromArray(F, c, r2 + 2 * L));  c23 = c23.add(FloatVector.fromArray(F, c, r2 + 3 * L));
            c30 = c30.add(FloatVector.fromArray(F, c, r3));          c31 = c31.add(FloatVector.fromArray(F, c, r3 + L));
            c32 = c32.add(FloatVector.fromArray(F, c, r3 + 2 * L));  c33 = c33.add(FloatVector.fromArray(F, c, r3 + 3 * L));
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L); c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L); c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L); c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L); c33.intoArray(c, r3 + 3 * L);
    }

    /** The AVX2 shape: 6 rows × 2 vectors. */
    private static void tile6x2(float[] a, int ai, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean set) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++, ai += 6 * L, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector a0 = FloatVector.fromArray(F, a, ai);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.fromArray(F, a, ai + L);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.fromArray(F, a, ai + 2 * L);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.fromArray(F, a, ai + 3 * L);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.fromArray(F, a, ai + 4 * L);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.fromArray(F, a, ai + 5 * L);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        if (!set) {
            c00 = c00.add(FloatVector.fromArray(F, c, ci)); c01 = c01.add(FloatVector.fromArray(F, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(F, c, r1)); c11 = c11.add(FloatVector.fromArray(F, c, r1 + L));
            c20 = c20.add(FloatVector.fromArray(F, c, r2)); c21 = c21.add(FloatVector.fromArray(F, c, r2 + L));
            c30 = c30.add(FloatVector.fromArray(F, c, r3)); c31 = c31.add(FloatVector.fromArray(F, c, r3 + L));
            c40 = c40.add(FloatVector.fromArray(F, c, r4)); c41 = c41.add(FloatVector.fromArray(F, c, r4 + L));
            c50 = c50.add(FloatVector.fromArray(F, c, r5)); c51 = c51.add(FloatVector.fromArray(F, c, r5 + L));
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + L);
    }
}
