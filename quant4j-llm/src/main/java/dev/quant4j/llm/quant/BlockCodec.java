package dev.quant4j.llm.quant;

import java.lang.foreign.MemorySegment;

/**
 * Base of the blocked formats: loops over blocks and chooses between the round-to-nearest
 * encoding and the importance-weighted one. With importance weights, a block is encoded both
 * ways and the encoding with the smaller weighted squared error Σ w·(x − x̂)² is kept, so the
 * weighted result is never worse than RTN on any block.
 */
abstract class BlockCodec implements BlockFormat {
    final GgmlType type;
    final int bs;
    final int bpb;

    BlockCodec(GgmlType type) {
        this.type = type;
        this.bs = type.blockSize();
        this.bpb = type.bytesPerBlock();
    }

    @Override public final GgmlType type() { return type; }

    abstract void decodeBlock(MemorySegment s, long off, float[] dst, int dstOff);

    abstract float dotBlock(MemorySegment s, long off, float[] x, int xOff);

    /** Encodes one block; {@code w == null} means round-to-nearest from the block's range. */
    abstract void encodeBlock(float[] x, int xOff, float[] w, int wOff, MemorySegment dst, long off);

    @Override public final void dequantize(MemorySegment src, long off, float[] dst, int dstOff, int n) {
        checkLength(n);
        for (int i = 0; i < n; i += bs, off += bpb) decodeBlock(src, off, dst, dstOff + i);
    }

    @Override public final float dot(MemorySegment src, long off, float[] x, int xOff, int n) {
        checkLength(n);
        float s = 0;
        for (int i = 0; i < n; i += bs, off += bpb) s += dotBlock(src, off, x, xOff + i);
        return s;
    }

    @Override public final void quantize(float[] x, int xOff, float[] imp, int impOff, int n, MemorySegment dst, long off) {
        checkLength(n);
        MemorySegment alt = imp == null ? null : MemorySegment.ofArray(new byte[bpb]);
        float[] a = imp == null ? null : new float[bs], b = imp == null ? null : new float[bs];
        for (int i = 0; i < n; i += bs, off += bpb) {
            encodeBlock(x, xOff + i, null, 0, dst, off);
            if (imp == null) continue;
            encodeBlock(x, xOff + i, imp, impOff + i, alt, 0);
            decodeBlock(dst, off, a, 0);
            decodeBlock(alt, 0, b, 0);
            if (weightedError(x, xOff + i, imp, impOff + i, b) < weightedError(x, xOff + i, imp, impOff + i, a))
                MemorySegment.copy(alt, 0, dst, off, bpb);
        }
    }

    static double weightedError(float[] x, int xOff, float[] w, int wOff, float[] xq) {
        double e = 0;
        for (int j = 0; j < xq.length; j++) {
            double d = (double) x[xOff + j] - xq[j];
            e += w[wOff + j] * d * d;
        }
        return e;
    }
}
