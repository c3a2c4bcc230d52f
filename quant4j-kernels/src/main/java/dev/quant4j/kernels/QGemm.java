package dev.quant4j.kernels;

import static dev.quant4j.kernels.BlockedGemm.KC;
import static dev.quant4j.kernels.F32Tile.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Y[m×n] = X[m×k]·Wᵀ for a block-quantized W [n×k]: each B micro-panel (kc rows of k × NR rows
 * of W) is dequantized to fp32 into the thread's scratch just before the fp32 micro-kernel uses
 * it, so a weight is decoded once per call and thread while m rows of X reuse it (design-notes.md,
 * point 1: compute-bound quantized layers run on the FMA units).
 */
final class QGemm extends BlockedGemm {
    private final float[] x;
    private final int xOff, ldx;
    private final BlockQuantizedMatrix w;
    private final MemorySegment data;
    private final int bs, bpr;
    private final long bytesPerRow;

    QGemm(int m, float[] x, int xOff, int ldx, BlockQuantizedMatrix w, float[] y, int yOff, int ldy) {
        super(m, w.rows(), w.cols(), y, yOff, ldy, false);
        this.x = x; this.xOff = xOff; this.ldx = ldx; this.w = w;
        this.data = w.data();
        this.bs = w.blockSize();
        this.bpr = w.blocksPerRow();
        this.bytesPerRow = w.bytesPerRow();
    }

    @Override void packA(float[] dst, int i0, int rows, int p0, int kc) {
        packFloatA(x, xOff, ldx, m, dst, i0, rows, p0, kc);
    }

    @Override void panel(Scratch s, int slot, int jp, int p0, int kc) {
        float[] out = s.b;
        int base = slot * KC * NR;
        int j0 = jp * NR, cols = Math.min(NR, n - j0);
        byte[] zps = w.zeroPoints();
        float[] scales = w.scales();
        boolean four = w.bits() == 4;
        // codes of the k range, one W row at a time, copied in bulk: per-element segment reads
        // measured ~10 ns each here, a plain array read ~1
        byte[] codes = s.codes;
        int byteStart = four ? p0 >> 1 : p0, byteCount = four ? ((p0 + kc + 1) >> 1) - byteStart : kc;
        for (int jj = 0; jj < cols; jj++) {
            int row = j0 + jj;
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, row * bytesPerRow + byteStart, codes, 0, byteCount);
            for (int p = p0, end = p0 + kc; p < end; ) {
                int blk = p / bs, blockEnd = Math.min(end, (blk + 1) * bs);
                int bi = row * bpr + blk;
                float scale = scales[bi];
                int zp = zps == null ? w.defaultZeroPoint() : zps[bi] & 0xFF;
                if (four) {
                    for (; p < blockEnd; p++) {
                        int v = codes[(p >> 1) - byteStart];
                        out[base + (p - p0) * NR + jj] = ((((p & 1) == 0 ? v : v >> 4) & 0x0F) - zp) * scale;
                    }
                } else {
                    for (; p < blockEnd; p++) out[base + (p - p0) * NR + jj] = ((codes[p - p0] & 0xFF) - zp) * scale;
                }
            }
        }
        for (int jj = cols; jj < NR; jj++)
            for (int p = 0; p < kc; p++) out[base + p * NR + jj] = 0f;
        s.bArr[slot] = out;
        s.bOff[slot] = base;
    }
}
