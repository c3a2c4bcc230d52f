package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.F;
import static dev.quant4j.kernels.F32Tile.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-vector kernels. They are memory-bound, so the weights are read once, in their stored
 * form: fp32, or int8/int4 codes widened in registers (design-notes.md, point 1).
 *
 * <p>Quantized rows: w = (code − zp)·scale per block, so
 * <pre>
 *   y[r] = Σ_b scale_b · (Σ_{c∈b} code_c·x_c) − Σ_b scale_b·zp_b·xsum_b
 * </pre>
 * The inner loop multiplies raw codes (no per-element zero-point subtraction, machine-limits.md
 * pitfall 5); the zero-point moves into the scalar correction on the right, with the block sums of
 * x computed once per call. For int4, byte t of a 2L-element chunk holds elements 2t (low nibble)
 * and 2t+1 (high nibble), so x is permuted once per call to match:
 * <pre>
 *   xq[c0 + t] = x[c0 + 2t],  xq[c0 + L + t] = x[c0 + 2t + 1]      t = 0..L−1
 * </pre>
 */
final class Gemv {
    private Gemv() {}

    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Below this many weights one thread is faster than handing work to the pool. */
    static final long PARALLEL_MIN = 1 << 16;

    static int parts(int threads, int rows, long work) {
        return work < PARALLEL_MIN ? 1 : Math.min(threads, rows);
    }

    // ---------------------------------------------------------------- fp32

    static void sgemv(int n, int k, MemorySegment w, long wOff, int ldw, float[] x, int xOff, float[] y, int yOff, int threads) {
        int parts = parts(threads, n, (long) n * k);
        Parallel.run(threads, parts, t -> {
            for (int r = Parallel.split(n, parts, t), end = Parallel.split(n, parts, t + 1); r < end; r++) {
                long base = (wOff + (long) r * ldw) * 4;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                int p = 0;
                for (; p + 4 * L <= k; p += 4 * L) {
                    long o = base + p * 4L;
                    a0 = FloatVector.fromMemorySegment(F, w, o, LE).fma(FloatVector.fromArray(F, x, xOff + p), a0);
                    a1 = FloatVector.fromMemorySegment(F, w, o + 4L * L, LE).fma(FloatVector.fromArray(F, x, xOff + p + L), a1);
                    a2 = FloatVector.fromMemorySegment(F, w, o + 8L * L, LE).fma(FloatVector.fromArray(F, x, xOff + p + 2 * L), a2);
                    a3 = FloatVector.fromMemorySegment(F, w, o + 12L * L, LE).fma(FloatVector.fromArray(F, x, xOff + p + 3 * L), a3);
                }
                for (; p + L <= k; p += L)
                    a0 = FloatVector.fromMemorySegment(F, w, base + p * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + p), a0);
                float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) s += w.get(ScalarKernels.F32, base + p * 4L) * x[xOff + p];
                y[yOff + r] = s;
            }
        });
    }

    // ---------------------------------------------------------------- block-quantized

    static void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff, int threads) {
        int bs = w.blockSize(), bpr = w.blocksPerRow(), cols = w.cols(), rows = w.rows();
        boolean four = w.bits() == 4;
        float[] xs = new float[bpr];
        float[] xq = new float[bpr * bs];
        for (int c = 0; c < cols; c++) xs[c / bs] += x[xOff + c];
        boolean vector = four ? bs % (2 * L) == 0 : bs % L == 0;
        if (four && vector) {
            for (int c0 = 0; c0 < cols; c0 += 2 * L)
                for (int t = 0; t < L; t++) {
                    int e = c0 + 2 * t;
                    if (e < cols) xq[c0 + t] = x[xOff + e];
                    if (e + 1 < cols) xq[c0 + L + t] = x[xOff + e + 1];
                }
        } else {
            System.arraycopy(x, xOff, xq, 0, cols);
        }
        int parts = parts(threads, rows, (long) rows * cols);
        Parallel.run(threads, parts, t -> {
            int r0 = Parallel.split(rows, parts, t), r1 = Parallel.split(rows, parts, t + 1);
            if (!vector) scalarRows(w, xq, xs, y, yOff, r0, r1);
            else if (four) int4Rows(w, xq, xs, y, yOff, r0, r1);
            else int8Rows(w, xq, xs, y, yOff, r0, r1);
        });
    }

    private static void int8Rows(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        MemorySegment data = w.data();
        int bs = w.blockSize(), bpr = w.blocksPerRow(), dz = w.defaultZeroPoint();
        long rowBytes = w.bytesPerRow();
        float[] scales = w.scales();
        byte[] zps = w.zeroPoints();
        for (int r = r0; r < r1; r++) {
            long o = r * rowBytes;
            int bi = r * bpr, xo = 0;
            FloatVector acc = FloatVector.zero(F);
            float corr = 0;
            for (int blk = 0; blk < bpr; blk++, bi++) {
                FloatVector d0 = FloatVector.zero(F), d1 = d0;
                int t = 0;
                for (; t + 2 * L <= bs; t += 2 * L, o += 2 * L, xo += 2 * L) {
                    FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B, data, o, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                    FloatVector w1 = (FloatVector) ByteVector.fromMemorySegment(B, data, o + L, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                    d0 = w0.fma(FloatVector.fromArray(F, xq, xo), d0);
                    d1 = w1.fma(FloatVector.fromArray(F, xq, xo + L), d1);
                }
                if (t < bs) {
                    FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B, data, o, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                    d0 = w0.fma(FloatVector.fromArray(F, xq, xo), d0);
                    o += L;
                    xo += L;
                }
                float s = scales[bi];
                acc = d0.add(d1).fma(FloatVector.broadcast(F, s), acc);
                corr += s * (zps == null ? dz : zps[bi] & 0xFF) * xs[blk];
            }
            y[yOff + r] = acc.reduceLanes(VectorOperators.ADD) - corr;
        }
    }

    private static void int4Rows(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        MemorySegment data = w.data();
        int bs = w.blockSize(), bpr = w.blocksPerRow(), dz = w.defaultZeroPoint();
        long rowBytes = w.bytesPerRow();
        float[] scales = w.scales();
        byte[] zps = w.zeroPoints();
        for (int r = r0; r < r1; r++) {
            long o = r * rowBytes;
            int bi = r * bpr, xo = 0;
            FloatVector acc = FloatVector.zero(F);
            float corr = 0;
            for (int blk = 0; blk < bpr; blk++, bi++) {
                FloatVector d0 = FloatVector.zero(F), d1 = d0;
                for (int t = 0; t < bs; t += 2 * L, o += L, xo += 2 * L) {
                    ByteVector v = ByteVector.fromMemorySegment(B, data, o, LE);
                    FloatVector lo = (FloatVector) v.and((byte) 0x0F).convertShape(VectorOperators.B2F, F, 0);
                    FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.B2F, F, 0);
                    d0 = lo.fma(FloatVector.fromArray(F, xq, xo), d0);
                    d1 = hi.fma(FloatVector.fromArray(F, xq, xo + L), d1);
                }
                float s = scales[bi];
                acc = d0.add(d1).fma(FloatVector.broadcast(F, s), acc);
                corr += s * (zps == null ? dz : zps[bi] & 0xFF) * xs[blk];
            }
            y[yOff + r] = acc.reduceLanes(VectorOperators.ADD) - corr;
        }
    }

    /** Block shapes the vector loops do not cover (int4 blocks narrower than 2L). */
    private static void scalarRows(BlockQuantizedMatrix w, float[] x, float[] xs, float[] y, int yOff, int r0, int r1) {
        MemorySegment data = w.data();
        int bs = w.blockSize(), bpr = w.blocksPerRow(), cols = w.cols(), dz = w.defaultZeroPoint();
        long rowBytes = w.bytesPerRow();
        boolean four = w.bits() == 4;
        for (int r = r0; r < r1; r++) {
            long o = r * rowBytes;
            float sum = 0;
            for (int blk = 0; blk < bpr; blk++) {
                int bi = r * bpr + blk;
                float d = 0;
                for (int c = blk * bs, end = Math.min(cols, c + bs); c < end; c++) {
                    int code = four ? (data.get(ValueLayout.JAVA_BYTE, o + (c >> 1)) >> ((c & 1) * 4)) & 0x0F
                                    : data.get(ValueLayout.JAVA_BYTE, o + c) & 0xFF;
                    d += code * x[c];
                }
                int zp = w.zeroPoints() == null ? dz : w.zeroPoints()[bi] & 0xFF;
                sum += w.scales()[bi] * (d - zp * xs[blk]);
            }
            y[yOff + r] = sum;
        }
    }
}
