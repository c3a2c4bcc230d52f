package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.L;
import static dev.quant4j.kernels.F32Tile.NR;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The integer-lane int8 GEMM, kept as the measured alternative to {@link I8Panels.Gemm}: operands
 * centred on their zero-points and widened to int32 lanes, 32-bit integer multiply and add, in a
 * 4×(2·L) register tile (8 accumulators: fits both AVX2 and AVX-512 register files; the tile
 * sweeps each NR-wide panel in 2·L steps). 16-bit lanes cannot hold the 17-bit products of centred
 * values, and the Vector API has no pairwise multiply-add into int lanes, so int32 it is.
 * Selected with {@code -Dquant4j.kernels.i8=int}.
 */
final class I8IntGemm {
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int KC = BlockedGemm.KC, MR = 4, W = 2 * L;

    private final int m, n, k, aOff, lda, mask, za;
    private final byte[] a;
    private final I8Panels b;
    private final int[] acc;

    I8IntGemm(int m, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint, I8Panels b, int[] acc) {
        this.m = m; this.n = b.n(); this.k = b.k();
        this.a = a; this.aOff = aOff; this.lda = lda; this.b = b; this.acc = acc;
        this.mask = aUnsigned ? 0xFF : -1;
        this.za = aZeroPoint;
    }

    void run(int threads) {
        int panels = F32Panels.panels(n), parts = Math.min(threads, panels);
        Parallel.run(threads, parts, t -> block(Parallel.split(panels, parts, t), Parallel.split(panels, parts, t + 1)));
    }

    private void block(int jp0, int jp1) {
        int groups = (m + MR - 1) / MR;
        int[] ap = new int[groups * MR * KC], bp = new int[KC * NR], tile = new int[MR * W], zp = new int[NR];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int g = 0; g < groups; g++)
                for (int r = 0; r < MR; r++) {
                    int i = g * MR + r, base = g * MR * kc;
                    for (int p = 0; p < kc; p++)
                        ap[base + p * MR + r] = i < m ? (a[aOff + i * lda + p0 + p] & mask) - za : 0;
                }
            for (int jp = jp0; jp < jp1; jp++) {
                for (int j = 0; j < NR; j++) zp[j] = (int) b.zeroPointsPadded()[jp * NR + j];
                widen(jp, p0, kc, bp, zp);
                for (int w0 = 0; w0 < NR; w0 += W) {
                    int j0 = jp * NR + w0, cols = Math.min(W, n - j0);
                    if (cols <= 0) break;
                    for (int g = 0; g < groups; g++) {
                        tile(ap, g * MR * kc, bp, w0, kc, tile);
                        for (int r = 0, i = g * MR; r < MR && i < m; r++, i++)
                            for (int j = 0; j < cols; j++) acc[i * n + j0 + j] += tile[r * W + j];
                    }
                }
            }
        }
    }

    private void widen(int jp, int p0, int kc, int[] out, int[] zp) {
        int src = F32Panels.offset(k, F32Panels.panels(n), jp, p0);
        for (int v = 0; v < NR; v += L) {
            IntVector z = IntVector.fromArray(I, zp, v);
            for (int p = 0; p < kc; p++)
                ((IntVector) ByteVector.fromArray(I8Panels.B, b.data(), src + p * NR + v).convertShape(VectorOperators.B2I, I, 0))
                        .sub(z).intoArray(out, p * NR + v);
        }
    }

    private static void tile(int[] a, int ai, int[] b, int bi, int kc, int[] c) {
        IntVector c00 = IntVector.zero(I), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            IntVector b0 = IntVector.fromArray(I, b, bi), b1 = IntVector.fromArray(I, b, bi + L);
            IntVector a0 = IntVector.broadcast(I, a[ai]);
            c00 = b0.mul(a0).add(c00); c01 = b1.mul(a0).add(c01);
            IntVector a1 = IntVector.broadcast(I, a[ai + 1]);
            c10 = b0.mul(a1).add(c10); c11 = b1.mul(a1).add(c11);
            IntVector a2 = IntVector.broadcast(I, a[ai + 2]);
            c20 = b0.mul(a2).add(c20); c21 = b1.mul(a2).add(c21);
            IntVector a3 = IntVector.broadcast(I, a[ai + 3]);
            c30 = b0.mul(a3).add(c30); c31 = b1.mul(a3).add(c31);
        }
        c00.intoArray(c, 0); c01.intoArray(c, L);
        c10.intoArray(c, W); c11.intoArray(c, W + L);
        c20.intoArray(c, 2 * W); c21.intoArray(c, 2 * W + L);
        c30.intoArray(c, 3 * W); c31.intoArray(c, 3 * W + L);
    }
}
