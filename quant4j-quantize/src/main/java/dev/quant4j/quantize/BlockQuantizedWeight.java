package dev.quant4j.quantize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.Quantizer;

/**
 * A MatMul weight W[K][N] quantized in blocks of {@code blockSize} consecutive k per column n,
 * by round-to-nearest. Codes are kept unsigned (0 .. 2^bits-1): a symmetric block has the
 * zero-point 2^(bits-1) (the MatMulNBits default), so that both output formats read the same codes.
 *
 * <pre>
 *   codes [N][nBlocks * blockSize]   (k padded with the zero-point up to a whole block)
 *   scales[N][nBlocks], zeroPoints[N][nBlocks]
 *   W[k][n] ~ scales[n][k / blockSize] * (codes[n][k] - zeroPoints[n][k / blockSize])
 * </pre>
 */
public record BlockQuantizedWeight(int k, int n, int bits, int blockSize, boolean symmetric, int[] codes, float[] scales, int[] zeroPoints) {

    public int blocks() { return (k + blockSize - 1) / blockSize; }

    public int paddedK() { return blocks() * blockSize; }

    public int offset() { return 1 << (bits - 1); }

    /** RTN quantization of row-major {@code w} [k][n]. Symmetric blocks use the narrow signed range (±(2^(bits-1)-1)). */
    public static BlockQuantizedWeight quantize(float[] w, int k, int n, int bits, int blockSize, boolean symmetric) {
        if (bits != 4 && bits != 8) throw new IllegalArgumentException("bits must be 4 or 8, got " + bits);
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) throw new IllegalArgumentException("block size must be a power of two >= 16, got " + blockSize);
        if ((long) k * n != w.length) throw new IllegalArgumentException("weight has " + w.length + " values, not " + k + "x" + n);
        QuantSpec spec = symmetric ? QuantSpec.symmetric(bits == 4 ? DataType.INT4 : DataType.INT8).withNarrowRange()
                : QuantSpec.affine(bits == 4 ? DataType.UINT4 : DataType.UINT8);
        int nb = (k + blockSize - 1) / blockSize, kp = nb * blockSize, off = 1 << (bits - 1);
        int shift = symmetric ? off : 0; // signed codes move into the unsigned range
        int[] codes = new int[n * kp];
        float[] scales = new float[n * nb];
        int[] zps = new int[n * nb];
        for (int col = 0; col < n; col++) {
            for (int b = 0; b < nb; b++) {
                int k0 = b * blockSize, k1 = Math.min(k, k0 + blockSize);
                float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
                for (int kk = k0; kk < k1; kk++) { float v = w[kk * n + col]; lo = Math.min(lo, v); hi = Math.max(hi, v); }
                ParamsFromRange.ScaleZeroPoint sz = ParamsFromRange.choose(spec, lo, hi);
                scales[col * nb + b] = sz.scale();
                zps[col * nb + b] = sz.zeroPoint() + shift;
                for (int kk = k0; kk < k0 + blockSize; kk++) {
                    codes[col * kp + kk] = kk < k1
                            ? Quantizer.quantize(w[kk * n + col], sz.scale(), sz.zeroPoint(), spec.qmin(), spec.qmax()) + shift
                            : sz.zeroPoint() + shift;
                }
            }
        }
        return new BlockQuantizedWeight(k, n, bits, blockSize, symmetric, codes, scales, zps);
    }

    /** The dequantized weight, row-major [k][n]. */
    public float[] dequantize() {
        float[] w = new float[k * n];
        int nb = blocks(), kp = paddedK();
        for (int col = 0; col < n; col++)
            for (int kk = 0; kk < k; kk++) {
                int b = col * nb + kk / blockSize;
                w[kk * n + col] = Quantizer.dequantize(codes[col * kp + kk], scales[b], zeroPoints[b]);
            }
        return w;
    }
}
