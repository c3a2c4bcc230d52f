package dev.quant4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix W [rows×cols] quantized in blocks of {@code blockSize} along each row: the layout
 * of ONNX Runtime's {@code com.microsoft MatMulNBits} (rows = N outputs, cols = K inputs).
 *
 * <pre>
 * data: rows × blocksPerRow × (blockSize·bits/8) bytes, rows outermost
 *   bits = 8: one unsigned code per byte
 *   bits = 4: two unsigned codes per byte, element 2j in the low nibble, 2j+1 in the high nibble
 *             byte = [ hi: w[2j+1] | lo: w[2j] ]
 * scales:     rows × blocksPerRow floats
 * zeroPoints: rows × blocksPerRow unsigned codes, one per byte (already unpacked), or null for the
 *             midpoint (8 for 4 bits, 128 for 8 bits), i.e. symmetric quantization
 * w[r][c] = (code[r][c] − zeroPoint[r][c / blockSize]) · scale[r][c / blockSize]
 * </pre>
 * When cols is not a multiple of blockSize the last block of each row is padded; padding codes
 * are ignored by every kernel.
 */
public record BlockQuantizedMatrix(int rows, int cols, int bits, int blockSize,
                                   MemorySegment data, float[] scales, byte[] zeroPoints) {

    public BlockQuantizedMatrix {
        if (bits != 4 && bits != 8) throw new IllegalArgumentException("bits must be 4 or 8, got " + bits);
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("shape must be positive: " + rows + "×" + cols);
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1)
            throw new IllegalArgumentException("block size must be a power of two ≥ 16, got " + blockSize);
        long blocks = (long) rows * blocksPerRow(cols, blockSize);
        long need = blocks * blockSize * bits / 8;
        if (data.byteSize() < need)
            throw new IllegalArgumentException("data holds " + data.byteSize() + " bytes, needs " + need);
        if (scales.length != blocks)
            throw new IllegalArgumentException("scales has " + scales.length + " entries, needs " + blocks);
        if (zeroPoints != null && zeroPoints.length != blocks)
            throw new IllegalArgumentException("zeroPoints has " + zeroPoints.length + " entries, needs " + blocks);
    }

    public int blocksPerRow() { return blocksPerRow(cols, blockSize); }

    public long bytesPerRow() { return (long) blocksPerRow() * blockSize * bits / 8; }

    public int defaultZeroPoint() { return bits == 4 ? 8 : 128; }

    static int blocksPerRow(int cols, int blockSize) { return (cols + blockSize - 1) / blockSize; }
}
