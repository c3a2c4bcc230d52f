package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * One GGML block layout: how {@code n} consecutive weights (a multiple of the block size, usually
 * one matrix row) are decoded from, dotted with and encoded into their bytes.
 *
 * <p>Offsets into segments are in bytes and always {@code long}, so rows of mapped files larger
 * than 2 GB are addressed directly. Weights are little-endian as in GGUF.
 */
public interface BlockFormat {

    GgmlType type();

    /** Decodes {@code n} weights starting at byte {@code off} of {@code src} into {@code dst[dstOff..]}. */
    void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n);

    /**
     * Σ w[i]·x[xOff+i] over {@code n} weights starting at byte {@code off}, without decoding the row
     * into memory. This is the scalar reference; {@link WeightMatrix} may use a vectorized twin.
     */
    float dot(MemorySegment src, long off, float[] x, int xOff, int n);

    /**
     * Encodes {@code x[xOff..xOff+n)} at byte {@code off} of {@code dst}. {@code importance} (may be
     * null) gives a non-negative weight per element, read from {@code importance[impOff..]}: when
     * present the scales are chosen to minimise Σ importance·(x − x̂)² instead of by plain
     * round-to-nearest from the range.
     */
    void quantize(float[] x, int xOff, float[] importance, int impOff, int n, MemorySegment dst, long off);

    /** Bytes taken by {@code n} weights. */
    default long byteSize(long n) { return type().byteSize(n); }

    /** Checks that {@code n} is a positive multiple of the block size. */
    default void checkLength(int n) {
        int bs = type().blockSize();
        if (n < 0 || n % bs != 0)
            throw new IllegalArgumentException(type() + ": length " + n + " is not a multiple of the block size " + bs);
    }
}
