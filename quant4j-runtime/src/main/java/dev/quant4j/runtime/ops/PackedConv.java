package dev.quant4j.runtime.ops;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedF32;
import java.lang.foreign.MemorySegment;

/**
 * Conv with its constant weight packed once per group as the right-hand GEMM operand: the image
 * becomes rows (one per output position, im2col transposed), and
 *
 * <pre>
 *   T[positions × Mg] = rows[positions × Cg·K] · Wgᵀ[Cg·K × Mg]        then  y[m][p] += T[p][m]
 * </pre>
 * Packed panels are NR columns wide (64 floats on AVX-512), so this pays only when a group has
 * enough output channels to fill them; {@link #worthPacking} says when.
 */
final class PackedConv {
    /** Output channels per group from which the packed path is used. */
    static final int MIN_CHANNELS = Integer.getInteger("quant4j.conv.packedMinChannels", 64);

    private final PackedF32[] groups;
    private final int mg, depth;

    private PackedConv(PackedF32[] groups, int mg, int depth) {
        this.groups = groups;
        this.mg = mg;
        this.depth = depth;
    }

    static boolean worthPacking(long[] ws, int group) {
        return ws.length >= 3 && ws[1] > 1 && ws[0] / group >= MIN_CHANNELS;
    }

    static PackedConv of(Kernels k, float[] w, long[] ws, int group) {
        int m = Math.toIntExact(ws[0]), mg = m / group;
        int depth = Math.toIntExact(w.length / m);
        PackedF32[] p = new PackedF32[group];
        MemorySegment seg = MemorySegment.ofArray(w);
        for (int g = 0; g < group; g++) p[g] = k.packF32(depth, mg, seg, (long) g * mg * depth, depth, true);
        return new PackedConv(p, mg, depth);
    }

    void run(Kernels k, float[] x, int n, Window win, float[] y) {
        int group = groups.length, m = mg * group, cg = depth / win.kernelSize();
        int c = cg * group, isp = win.inSize(), osp = win.outSize();
        boolean direct = win.kernelSize() == 1 && ConvOps.isIdentity(win);
        float[] col = direct ? null : new float[Math.multiplyExact(depth, osp)];
        float[] rows = new float[Math.multiplyExact(depth, osp)];
        float[] t = new float[Math.multiplyExact(osp, mg)];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < group; g++) {
                int xOff = (i * c + g * cg) * isp;
                if (direct) {
                    transpose(x, xOff, depth, osp, rows);
                } else {
                    Im2col.fill(k.threads(), x, xOff, cg, win, col);
                    transpose(col, 0, depth, osp, rows);
                }
                k.sgemm(osp, rows, 0, depth, groups[g], t, 0, mg, false);
                addTransposed(t, osp, mg, y, (i * m + g * mg) * osp);
            }
        }
    }

    /** dst[cols × rows] = src[rows × cols]ᵀ, in 32×32 tiles so both sides stay in cache. */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++)
                    for (int cc = c0; cc < c1; cc++) dst[cc * rows + r] = src[off + r * cols + cc];
            }
        }
    }

    /** y[j][p] += t[p][j] for the mg channel planes starting at y[yOff]. */
    private static void addTransposed(float[] t, int positions, int channels, float[] y, int yOff) {
        final int tile = 32;
        for (int p0 = 0; p0 < positions; p0 += tile) {
            int p1 = Math.min(positions, p0 + tile);
            for (int j = 0; j < channels; j++) {
                int dst = yOff + j * positions;
                for (int p = p0; p < p1; p++) y[dst + p] += t[p * channels + j];
            }
        }
    }
}
