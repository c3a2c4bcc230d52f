package dev.quant4j.kernels;

import static dev.quant4j.kernels.BlockedGemm.KC;
import static dev.quant4j.kernels.F32Tile.F;
import static dev.quant4j.kernels.F32Tile.L;
import static dev.quant4j.kernels.F32Tile.MR;
import static dev.quant4j.kernels.F32Tile.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Signed 8-bit B [k×n] packed in the block order of {@link F32Panels} (one byte per weight), with
 * its zero-points.
 *
 * <p>The GEMM runs on the fp32 FMA units yet is exact: with both operands centred on their
 * zero-points, |(a − za)·(b − zb)| ≤ 255·255, so a k block of KC ≤ 258 products sums to at most
 * 2^24 in magnitude and every partial sum is an integer a float holds exactly. Each k block's
 * tile is then converted to int32 and added to the accumulators. Java has no int8 dot-product
 * instruction, and its 32-bit integer multiply is slower than FMA (machine-limits.md), so this is
 * the fastest exact pure-Java int8 GEMM found here; {@link I8IntGemm} is the integer-lane
 * alternative it is benchmarked against.
 */
record I8Panels(int k, int n, byte[] data, int[] zeroPoints, float[] zeroPointsPadded) implements PackedI8 {

    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    static {
        if (KC * 255 * 255 > (1 << 24)) throw new AssertionError("KC too deep for exact float sums");
    }

    static I8Panels pack(int k, int n, MemorySegment b, long off, int ldb, boolean transposed, int[] zeroPoints) {
        byte[] d = new byte[F32Panels.size(k, n)];
        int panels = F32Panels.panels(n);
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jp * NR, cols = Math.min(NR, n - j0);
            if (!transposed) {
                for (int p = 0; p < k; p++)
                    MemorySegment.copy(b, ValueLayout.JAVA_BYTE, off + (long) p * ldb + j0, d, F32Panels.offset(k, panels, jp, p), cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    long row = off + (long) (j0 + j) * ldb;
                    for (int p = 0; p < k; p++) d[F32Panels.offset(k, panels, jp, p) + j] = b.get(ValueLayout.JAVA_BYTE, row + p);
                }
            }
        }
        float[] zp = new float[panels * NR];
        for (int j = 0; j < n; j++) zp[j] = zeroPoints[j];
        return new I8Panels(k, n, d, zeroPoints, zp);
    }

    /** acc = (A − za)·(B − zb) exactly, A u8 or s8 [m×k]. */
    static final class Gemm extends BlockedGemm {
        private final byte[] a;
        private final int aOff, lda, mask, za;
        private final I8Panels b;

        Gemm(int m, byte[] a, int aOff, int lda, boolean aUnsigned, int aZeroPoint, I8Panels b, int[] acc) {
            super(m, b.n, b.k, acc);
            this.a = a; this.aOff = aOff; this.lda = lda; this.b = b;
            this.mask = aUnsigned ? 0xFF : -1;
            this.za = aZeroPoint;
        }

        @Override void packA(float[] dst, int i0, int rows, int p0, int kc) {
            int groups = (rows + MR - 1) / MR;
            for (int g = 0; g < groups; g++) {
                int base = g * MR * kc;
                for (int r = 0; r < MR; r++) {
                    int i = i0 + g * MR + r;
                    if (i >= i0 + rows) {
                        for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0f;
                    } else {
                        int src = aOff + i * lda + p0;
                        for (int p = 0; p < kc; p++) dst[base + p * MR + r] = (a[src + p] & mask) - za;
                    }
                }
            }
        }

        @Override void panel(Scratch s, int slot, int jp, int p0, int kc) {
            float[] out = s.b;
            int base = slot * KC * NR;
            byte[] d = b.data;
            int src = F32Panels.offset(k, F32Panels.panels(n), jp, p0);
            for (int v = 0; v < NR; v += L) {
                FloatVector z = FloatVector.fromArray(F, b.zeroPointsPadded, jp * NR + v);
                for (int p = 0, o = base + v, si = src + v; p < kc; p++, o += NR, si += NR)
                    ((FloatVector) ByteVector.fromArray(B, d, si).convertShape(VectorOperators.B2F, F, 0)).sub(z).intoArray(out, o);
            }
            s.bArr[slot] = out;
            s.bOff[slot] = base;
        }
    }
}
