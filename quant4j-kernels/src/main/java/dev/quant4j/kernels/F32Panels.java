package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * fp32 B [k×n] packed for {@link F32Tile}: NR-wide column panels, each k rows deep, so that every
 * k block of a panel is one contiguous run; the last panel is padded with zero columns.
 *
 * <pre>
 * data[jp·k·NR + p·NR + j] = B[p][jp·NR + j]      (0 for jp·NR + j ≥ n)
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

    static F32Panels pack(int k, int n, MemorySegment b, long off, int ldb, boolean transposed, int threads) {
        float[] d = new float[size(k, n)];
        int panels = panels(n);
        int parts = Math.min(threads, panels);
        Parallel.run(threads, parts, t -> {
            for (int jp = Parallel.split(panels, parts, t); jp < Parallel.split(panels, parts, t + 1); jp++) {
                int j0 = jp * NR, cols = Math.min(NR, n - j0), base = jp * k * NR;
                if (!transposed) {
                    for (int p = 0; p < k; p++)
                        MemorySegment.copy(b, F32, (off + (long) p * ldb + j0) * 4, d, base + p * NR, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        long row = off + (long) (j0 + j) * ldb;
                        for (int p = 0; p < k; p++) d[base + p * NR + j] = b.getAtIndex(F32, row + p);
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

        Gemm(int m, float[] a, int aOff, int lda, F32Panels b, float[] c, int cOff, int ldc, boolean accumulate) {
            super(m, b.n, b.k, c, cOff, ldc, accumulate);
            this.a = a; this.aOff = aOff; this.lda = lda; this.data = b.data;
        }

        @Override void packA(float[] dst, int i0, int rows, int p0, int kc) {
            packFloatA(a, aOff, lda, m, dst, i0, rows, p0, kc);
        }

        @Override float[] panel(Scratch s, int jp, int p0, int kc) {
            s.bOff = jp * k * NR + p0 * NR;
            return data;
        }
    }
}
