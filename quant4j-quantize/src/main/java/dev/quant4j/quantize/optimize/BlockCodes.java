package dev.quant4j.quantize.optimize;

import dev.quant4j.core.quant.ParamsFromRange.ScaleZeroPoint;
import dev.quant4j.quantize.BlockQuantizedWeight;

/**
 * Builds the arrays of a {@link BlockQuantizedWeight} block by block: signed symmetric codes and
 * zero-points are moved into the unsigned range by 2^(bits-1), padding past K takes the block's
 * zero-point, as {@link BlockQuantizedWeight#quantize} does.
 */
final class BlockCodes {
    private final int k, n, bits, blockSize, nb, kp, shift;
    private final boolean symmetric;
    private final int[] codes, zps;
    private final float[] scales;

    BlockCodes(int k, int n, int bits, int blockSize, boolean symmetric) {
        this.k = k; this.n = n; this.bits = bits; this.blockSize = blockSize; this.symmetric = symmetric;
        nb = (k + blockSize - 1) / blockSize;
        kp = nb * blockSize;
        shift = symmetric ? 1 << (bits - 1) : 0;
        codes = new int[Math.multiplyExact(n, kp)];
        scales = new float[n * nb];
        zps = new int[n * nb];
    }

    int blocks() { return nb; }

    /** Sets block b of column col (and fills its codes with the zero-point, for the padding). */
    void setBlock(int col, int b, ScaleZeroPoint p) {
        scales[col * nb + b] = p.scale();
        zps[col * nb + b] = p.zeroPoint() + shift;
        java.util.Arrays.fill(codes, col * kp + b * blockSize, col * kp + (b + 1) * blockSize, p.zeroPoint() + shift);
    }

    /** The code (in the spec's signed or unsigned range) of W[kk][col]. */
    void setCode(int col, int kk, int code) { codes[col * kp + kk] = code + shift; }

    BlockQuantizedWeight build() { return new BlockQuantizedWeight(k, n, bits, blockSize, symmetric, codes, scales, zps); }
}
