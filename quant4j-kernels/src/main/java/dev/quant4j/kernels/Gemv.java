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
        Parallel.run(threads, parts, t -> sgemvRows(k, w, wOff, ldw, x, xOff, y, yOff,
                Parallel.split(n, parts, t), Parallel.split(n, parts, t + 1)));
    }

    private static void sgemvRows(int k, MemorySegment w, long wOff, int ldw, float[] x, int xOff, float[] y, int yOff, int r0, int r1) {
        float[] lanes = new float[L];
        for (int r = r0; r < r1; r++) {
            long base = (wOff + (long) r * ldw) * 4; // no row slice: its allocation was not always scalar-replaced here
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int p = 0;
            for (; p + 4 * L <= k; p += 4 * L) {
                a0 = FloatVector.fromMemorySegment(F, w, base + p * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + p), a0);
                a1 = FloatVector.fromMemorySegment(F, w, base + (p + L) * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + p + L), a1);
                a2 = FloatVector.fromMemorySegment(F, w, base + (p + 2 * L) * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + p + 2 * L), a2);
                a3 = FloatVector.fromMemorySegment(F, w, base + (p + 3 * L) * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + p + 3 * L), a3);
            }
            for (; p + L <= k; p += L)
                a0 = FloatVector.fromMemorySegment(F, w, base + p * 4L, LE).fma(FloatVector.fromArray(F, x, xOff + p), a0);
            a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
            float s = sum(lanes);
            for (; p < k; p++) s += w.get(ScalarKernels.F32, base + p * 4L) * x[xOff + p];
            y[yOff + r] = s;
        }
    }

    // ---------------------------------------------------------------- block-quantized

    static void gemvQ(BlockQuantizedMatrix w, float[] x, int xOff, float[] y, int yOff, int threads) {
        int bs = w.blockSize(), bpr = w.blocksPerRow(), cols = w.cols(), rows = w.rows();
        boolean four = w.bits() == 4;
        float[] xs = new float[bpr];
        float[] xq = new float[bpr * bs];
        for (int c = 0; c < cols; c++) xs[c / bs] += x[xOff + c];
        boolean vector = four ? bs % (2 * L) == 0 : bs % L == 0, lanes = CodeLanes.fits(w);
        if (lanes) {
            CodeLanes.permute(w, x, xOff, xq);
        } else if (four && vector) {
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
            if (lanes) CodeLanes.rows(w, xq, xs, y, yOff, r0, r1);
            else if (!vector) scalarRows(w, xq, xs, y, yOff, r0, r1);
            else if (four) int4Rows(w, xq, xs, y, yOff, r0, r1); // rows CodeLanes does not cover (odd block counts, small blocks)
            else int8Rows(w, xq, xs, y, yOff, r0, r1);
        });
    }

    private static void int8Rows(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        float[] lanes = new float[L];
        int cpb = w.blockSize() / L, bpr = w.blocksPerRow(), rowBytes = (int) w.bytesPerRow();
        MemorySegment data = w.data();
        float[] scales = w.scales();
        for (int r = r0; r < r1; r++) {
            long row = (long) r * rowBytes;
            int bi = r * bpr;
            FloatVector acc = FloatVector.zero(F);
            FloatVector d0 = FloatVector.zero(F);
            for (int t = 0, c = 0; t < rowBytes; t += L) {
                FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B, data, row + t, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
                d0 = w0.fma(FloatVector.fromArray(F, xq, t), d0);
                if (++c == cpb) {
                    acc = d0.fma(FloatVector.broadcast(F, scales[bi++]), acc);
                    d0 = FloatVector.zero(F);
                    c = 0;
                }
            }
            acc.intoArray(lanes, 0);
            y[yOff + r] = sum(lanes) - correction(w, r, xs, lanes);
        }
    }

    /**
     * Int4 chunk: L bytes = 2L codes. The bytes are widened to int lanes first, where the nibble
     * mask and shift are single instructions (x86 has no byte shifts; measured ~1.4× faster than
     * masking in byte lanes).
     */
    private static void int4Rows(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        float[] lanes = new float[L];
        int cpb = w.blockSize() / 2 / L, bpr = w.blocksPerRow(), rowBytes = (int) w.bytesPerRow();
        MemorySegment data = w.data();
        float[] scales = w.scales();
        for (int r = r0; r < r1; r++) {
            long row = (long) r * rowBytes;
            int bi = r * bpr;
            FloatVector acc = FloatVector.zero(F);
            FloatVector d0 = FloatVector.zero(F), d1 = d0;
            // one flat loop over the row: nested per-block loops of 1–4 trips cost more in loop set-up than they do
            for (int t = 0, c = 0; t < rowBytes; t += L) {
                IntVector v = (IntVector) ByteVector.fromMemorySegment(B, data, row + t, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                FloatVector lo = (FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0);
                FloatVector hi = (FloatVector) v.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0);
                d0 = lo.fma(FloatVector.fromArray(F, xq, 2 * t), d0);
                d1 = hi.fma(FloatVector.fromArray(F, xq, 2 * t + L), d1);
                if (++c == cpb) {
                    acc = d0.add(d1).fma(FloatVector.broadcast(F, scales[bi++]), acc);
                    d0 = FloatVector.zero(F);
                    d1 = d0;
                    c = 0;
                }
            }
            acc.intoArray(lanes, 0);
            y[yOff + r] = sum(lanes) - correction(w, r, xs, lanes);
        }
    }

    /** Σ_b scale_b·zp_b·xsum_b for row r, L blocks at a time. */
    static float correction(BlockQuantizedMatrix w, int r, float[] xs, float[] lanes) {
        int bpr = w.blocksPerRow(), base = r * bpr, b = 0;
        float[] scales = w.scales();
        byte[] zps = w.zeroPoints();
        FloatVector acc = FloatVector.zero(F);
        if (zps == null) {
            for (; b + L <= bpr; b += L)
                acc = FloatVector.fromArray(F, scales, base + b).fma(FloatVector.fromArray(F, xs, b), acc);
            acc.intoArray(lanes, 0);
            float sum = sum(lanes);
            for (; b < bpr; b++) sum += scales[base + b] * xs[b];
            return sum * w.defaultZeroPoint();
        }
        for (; b + L <= bpr; b += L) {
            FloatVector z = (FloatVector) ByteVector.fromArray(B, zps, base + b)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
            acc = FloatVector.fromArray(F, scales, base + b).mul(z).fma(FloatVector.fromArray(F, xs, b), acc);
        }
        acc.intoArray(lanes, 0);
        float sum = sum(lanes);
        for (; b < bpr; b++) sum += scales[base + b] * (zps[base + b] & 0xFF) * xs[b];
        return sum;
    }

    /**
     * Sums lanes in a fixed order. {@code reduceLanes(ADD)} is specified to sum floats in an
     * unspecified order, which may differ between the interpreter, C1 and C2: two calls of the
     * same shape once disagreed in the last bit in a test. A fixed order keeps results
     * reproducible and independent of the thread count.
     */
    static float sum(float[] lanes) {
        float s = 0;
        for (float v : lanes) s += v;
        return s;
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
