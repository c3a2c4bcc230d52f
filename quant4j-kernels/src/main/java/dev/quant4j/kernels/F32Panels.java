package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * fp32 B [k×n] packed for {@link BlockedGemm}: k blocks of KC rows, each holding every NR-wide
 * column micro-panel in turn, so that a k block of consecutive micro-panels (what the GEMM keeps in
 * L2) is one contiguous run. (Panel-major order put those runs k·NR·4 bytes apart, a power of two
 * that mapped them onto the same L2 sets.) The last panel is padded with zero columns.
 *
 * <pre>
 * p0 = p − p mod KC,  kcb = min(KC, k − p0),  panels = ⌈n / NR⌉
 * data[p0·panels·NR + jp·kcb·NR + (p − p0)·NR + j] = B[p][jp·NR + j]      (0 for jp·NR + j ≥ n)
 * </pre>
 */
record F32Panels(int k, int n, float[] data) implements PackedF32 {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static int panels(int n) { return (n + NR - 1) / NR; }

    static int size(int k, int n) {
        long size = (long) panels(n) * k * NR;
        if (size > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("a " + k + "×" + n + " matrix is too large to pack (" + size + " floats)");
        return (int) size;
    }

    /** Index of B[p][jp·NR] in the packed layout; rows p..p0+kcb of the panel follow at stride NR. */
    static int offset(int k, int panels, int jp, int p) {
        int p0 = p - p % BlockedGemm.KC, kcb = Math.min(BlockedGemm.KC, k - p0);
        return p0 * panels * NR + jp * kcb * NR + (p - p0) * NR;
    }

    static F32Panels pack(int k, int n, MemorySegment b, long off, int ldb, boolean transposed, int threads) {
        float[] d = new float[size(k, n)];
        int panels = panels(n);
        int parts = Math.min(threads, panels);
        Parallel.run(threads, parts, t -> {
            for (int jp = Parallel.split(panels, parts, t); jp < Parallel.split(panels, parts, t + 1); jp++) {
                int j0 = jp * NR, cols = Math.min(NR, n - j0);
                if (!transposed) {
                    for (int p = 0; p < k; p++)
                        MemorySegment.copy(b, F32, (off + (long) p * ldb + j0) * 4, d, offset(k, panels, jp, p), cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        long row = off + (long) (j0 + j) * ldb;
                        for (int p = 0; p < k; p++) d[offset(k, panels, jp, p) + j] = b.getAtIndex(F32, row + p);
                    }
                }
            }
        });
        return new F32Panels(k, n, d);
    }

    /** C = A·B with A fp32 [m×k]. */
    static final class Gemm extends BlockedGemm {
        private final float[] a;
        private final int aOff, lda;
        private final float[] data;
        private final int panels;

        Gemm(int m, float[] a, int aOff, int lda, F32Panels b, float[] c, int cOff, int ldc, boolean accumulate) {
            super(m, b.n, b.k, c, cOff, ldc, accumulate);
            this.a = a; this.aOff = aOff; this.lda = lda; this.data = b.data; this.panels = panels(b.n);
        }

        @Override void packA(float[] dst, int i0, int rows, int p0, int kc) {
            packFloatA(a, aOff, lda, m, dst, i0, rows, p0, kc);
        }

        @Override void packBroadcastA(Scratch s, int i0, int rows, int p0, int kc) {
            broadcastFloatA(a, aOff, lda, m, s.a, s.aOff, i0, rows, p0, kc);
        }

        @Override void panel(Scratch s, int slot, int jp, int p0, int kc) {
            s.bArr[slot] = data;
            s.bOff[slot] = offset(k, panels, jp, p0);
        }
    }
}
