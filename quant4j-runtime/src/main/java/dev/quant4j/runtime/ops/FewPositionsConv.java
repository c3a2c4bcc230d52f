package dev.quant4j.runtime.ops;

import dev.quant4j.kernels.Kernels;
import dev.quant4j.kernels.PackedF32;
import java.lang.foreign.MemorySegment;

/**
 * Conv layers with only a few output positions (the 1×1 squeeze-excite and head layers, short
 * sequences): with positions as the GEMM's columns, the kernels' column panels (16–64 wide) would
 * be mostly padding. Here the constant weight is packed once per group, on first use, as the
 * right-hand operand, and the positions become the rows:
 *
 * <pre>
 *   T[positions × Mg] = rows[positions × Cg·K] · Wgᵀ[Cg·K × Mg]        then  y[m][p] += T[p][m]
 * </pre>
 * rows is im2col transposed (or the input transposed for a 1×1 stride-1 conv).
 */
final class FewPositionsConv {
    /** Output positions below which this form is used (the narrowest kernel panel is 16 columns). */
    static final int MAX_POSITIONS = Integer.getInteger("quant4j.conv.fewPositions", 16);

    private final float[] w;
    private final int m, group, depth;
    private volatile PackedF32[] packed;

    FewPositionsConv(float[] w, int m, int group) {
        this.w = w;
        this.m = m;
        this.group = group;
        this.depth = w.length / m;
    }

    private PackedF32[] packed(Kernels k) {
        PackedF32[] p = packed;
        if (p == null) {
            int mg = m / group;
            p = new PackedF32[group];
            MemorySegment seg = MemorySegment.ofArray(w);
            for (int g = 0; g < group; g++) p[g] = k.packF32(depth, mg, seg, (long) g * mg * depth, depth, true);
            packed = p; // racing threads pack alike; either result serves
        }
        return p;
    }

    void run(Kernels k, float[] x, int n, Window win, float[] y) {
        PackedF32[] groups = packed(k);
        int mg = m / group, cg = depth / win.kernelSize(), c = cg * group, isp = win.inSize(), osp = win.outSize();
        boolean direct = win.kernelSize() == 1 && ConvOps.isIdentity(win);
        float[] col = direct ? null : new float[Math.multiplyExact(depth, osp)];
        float[] rows = new float[Math.multiplyExact(depth, osp)];
        float[] t = new float[Math.multiplyExact(osp, mg)];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < group; g++) {
                int xOff = (i * c + g * cg) * isp;
                if (direct) {
                    GemmOps.transpose(x, xOff, depth, osp, rows);
                } else {
                    Im2col.fill(1, x, xOff, cg, win, col);
                    GemmOps.transpose(col, 0, depth, osp, rows);
                }
                k.sgemm(osp, rows, 0, depth, groups[g], t, 0, mg, false);
                int yOff = (i * m + g * mg) * osp;
                for (int p = 0; p < osp; p++)
                    for (int j = 0; j < mg; j++) y[yOff + j * osp + p] += t[p * mg + j];
            }
        }
    }
}
