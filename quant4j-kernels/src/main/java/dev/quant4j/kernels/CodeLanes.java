package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.F;
import static dev.quant4j.kernels.F32Tile.L;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorOperators;

/**
 * The int4 and int8 GEMV row loops that never widen bytes: 4L bytes of codes are loaded as L int
 * lanes, and each code position inside the lanes, masked, is one vector of L codes.
 * Widening byte lanes to int lanes (a lane-crossing shuffle per 8 codes) was the bottleneck of
 * the byte-wise loops: the int4 loop measured 1.5× faster on cache-resident rows (same run,
 * thread CPU time).
 *
 * <pre>
 * one unit = 4L bytes = P·L codes, P = 32/bits codes per lane (8 for int4, 4 for int8), little-endian:
 *   lane i = bytes 4i..4i+3 = codes P·i .. P·i+P−1;  code position k of lane i (bits k·bits ..) = code P·i + k
 *   vector k (k = 0..P−1) = codes {P·i + k : i = 0..L−1}, taken as lanes &amp; (mask shifted left k·bits) = code·2^(k·bits),
 *                           the top one as lanes shifted right (32 − bits)
 * x is permuted once per call to match:  xq[u·P·L + k·L + i] = x[u·P·L + P·i + k] · 2^(−k·bits)  (k ≤ P−2)
 * </pre>
 * Positions are masked in place, not shifted down: the masked lanes convert to
 * code·2^(k·bits) exactly, so the permuted x carries the factor 2^(−k·bits) instead (exact: a power
 * of two, unless an int4 |x| below 2^−102 falls into the subnormals). Only the top position is shifted (its mask
 * would set the sign bit). The masks are loaded from an array before the row loop: as constants,
 * C2 re-broadcast each one from memory inside the loop, 7 extra loads per unit. Int4, 4096², block
 * 32, in-process A/B against the shifting loop (thread CPU time, medians): 1.16–1.21× in a scratch
 * copy, 1.07–1.08× through Gemv.gemvQ from DRAM (machine load 2–2.6); the results are bit-identical.
 * Scales: a block of bs codes covers bs/P lanes. For bs a multiple of P·L a unit lies inside one
 * block (one broadcast scale); for bs = P·L/2 the unit's low and high half-lanes belong to two
 * blocks: one L-float load from the unit's first scale, lanes permuted to (s₀ ×L/2, s₁ ×L/2), two
 * instructions instead of two scalar loads, two broadcasts and a blend (the last row of the matrix
 * loads from a padded copy of its scales). Other shapes use {@link Gemv}'s byte-wise loops.
 */
final class CodeLanes {
    private CodeLanes() {}

    /** Lane i takes scale s[i < L/2 ? 0 : 1] of the two blocks a unit spans (bs = P·L/2). */
    private static final VectorShuffle<Float> PAIR = VectorShuffle.fromOp(F, i -> i < L / 2 ? 0 : 1);
    /** Lane i ↔ lane i XOR h (null where h ≥ L): the steps of a fixed-order tree sum of the lanes. */
    private static final VectorShuffle<Float> XOR8 = xor(8), XOR4 = xor(4), XOR2 = xor(2), XOR1 = xor(1);

    private static VectorShuffle<Float> xor(int h) { return h < L ? VectorShuffle.fromOp(F, i -> i ^ h) : null; }

    /** Codes per int lane. */
    private static int perLane(BlockQuantizedMatrix w) { return 32 / w.bits(); }

    /** Whether these loops cover the matrix: whole units per row, bs = P·L/2 or a multiple of P·L. */
    static boolean fits(BlockQuantizedMatrix w) {
        int bs = w.blockSize(), unit = perLane(w) * L;
        return w.bytesPerRow() % (4 * L) == 0 && (2 * bs == unit || bs % unit == 0);
    }

    /** x in unit order (see the class comment); entries past {@code cols} stay 0, so padding codes add nothing. */
    static void permute(BlockQuantizedMatrix w, float[] x, int xOff, float[] xq) {
        int p = perLane(w), cols = w.cols(), bits = w.bits();
        float[] unscale = new float[p];
        for (int k = 0; k < p; k++) unscale[k] = k == p - 1 ? 1f : Math.scalb(1f, -k * bits);
        for (int c0 = 0; c0 < cols; c0 += p * L)
            for (int i = 0; i < L; i++)
                for (int k = 0; k < p; k++) {
                    int e = c0 + p * i + k;
                    if (e < cols) xq[c0 + k * L + i] = x[xOff + e] * unscale[k];
                }
    }

    /** Int lanes of {@code mask << k·bits} for positions k = 0..P−2, L lanes each. */
    private static int[] masks(int bits) {
        int p = 32 / bits, mask = (1 << bits) - 1;
        int[] m = new int[(p - 1) * L];
        for (int k = 0; k < p - 1; k++) Arrays.fill(m, k * L, (k + 1) * L, mask << (k * bits));
        return m;
    }

    private static final int[] MASKS4 = masks(4), MASKS8 = masks(8);

    /** y[r] = Σ_b scale_b·(Σ code·x) − correction, rows [r0, r1), x permuted by {@link #permute}. */
    static void rows(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        if (w.bits() == 4) rows4(w, xq, xs, y, yOff, r0, r1);
        else rows8(w, xq, xs, y, yOff, r0, r1);
    }

    private static void rows8(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        corrections(w, xs, y, yOff, r0, r1);
        int bs = w.blockSize(), bpr = w.blocksPerRow(), rowBytes = (int) w.bytesPerRow(), units = rowBytes / (4 * L);
        boolean twoBlocks = bs == 2 * L;
        int shift = twoBlocks ? 0 : Integer.numberOfTrailingZeros(bs / (4 * L));
        MemorySegment data = w.data();
        float[] scales = w.scales();
        IntVector m0 = IntVector.fromArray(Gemv.I, MASKS8, 0), m1 = IntVector.fromArray(Gemv.I, MASKS8, L), m2 = IntVector.fromArray(Gemv.I, MASKS8, 2 * L);
        for (int r = r0; r < r1; r++) {
            long row = (long) r * rowBytes;
            int si = r * bpr;
            float[] sc = scales;
            if (si + bpr + L > scales.length) { // the last row: its two-block scale loads would pass the end
                sc = Arrays.copyOf(Arrays.copyOfRange(scales, si, si + bpr), bpr + L);
                si = 0;
            }
            FloatVector acc = FloatVector.zero(F);
            for (int u = 0; u < units; u++) {
                int xo = u * 4 * L;
                IntVector v = IntVector.fromMemorySegment(Gemv.I, data, row + (long) u * 4 * L, Gemv.LE);
                FloatVector d0 = ((FloatVector) v.and(m0).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xq, xo));
                FloatVector d1 = ((FloatVector) v.and(m1).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xq, xo + L));
                d0 = ((FloatVector) v.and(m2).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 2 * L), d0);
                d1 = ((FloatVector) v.lanewise(VectorOperators.LSHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 3 * L), d1);
                FloatVector s = twoBlocks
                        ? FloatVector.fromArray(F, sc, si + 2 * u).rearrange(PAIR)
                        : FloatVector.broadcast(F, sc[si + (u >> shift)]);
                acc = d0.add(d1).fma(s, acc);
            }
            // the lanes summed in a fixed tree order, in line: a call here would spill every live vector
            if (L > 8) acc = acc.add(acc.rearrange(XOR8));
            if (L > 4) acc = acc.add(acc.rearrange(XOR4));
            acc = acc.add(acc.rearrange(XOR2));
            y[yOff + r] += acc.add(acc.rearrange(XOR1)).lane(0);
        }
    }

    private static void rows4(BlockQuantizedMatrix w, float[] xq, float[] xs, float[] y, int yOff, int r0, int r1) {
        corrections(w, xs, y, yOff, r0, r1);
        int bs = w.blockSize(), bpr = w.blocksPerRow(), rowBytes = (int) w.bytesPerRow(), units = rowBytes / (4 * L);
        boolean twoBlocks = bs == 4 * L;
        int shift = twoBlocks ? 0 : Integer.numberOfTrailingZeros(bs / (8 * L));
        MemorySegment data = w.data();
        float[] scales = w.scales();
        IntVector m0 = IntVector.fromArray(Gemv.I, MASKS4, 0), m1 = IntVector.fromArray(Gemv.I, MASKS4, L), m2 = IntVector.fromArray(Gemv.I, MASKS4, 2 * L);
        IntVector m3 = IntVector.fromArray(Gemv.I, MASKS4, 3 * L), m4 = IntVector.fromArray(Gemv.I, MASKS4, 4 * L);
        IntVector m5 = IntVector.fromArray(Gemv.I, MASKS4, 5 * L), m6 = IntVector.fromArray(Gemv.I, MASKS4, 6 * L);
        for (int r = r0; r < r1; r++) {
            long row = (long) r * rowBytes;
            int si = r * bpr;
            float[] sc = scales;
            if (si + bpr + L > scales.length) { // the last row: its two-block scale loads would pass the end
                sc = Arrays.copyOf(Arrays.copyOfRange(scales, si, si + bpr), bpr + L);
                si = 0;
            }
            FloatVector acc = FloatVector.zero(F);
            for (int u = 0; u < units; u++) {
                int xo = u * 8 * L;
                IntVector v = IntVector.fromMemorySegment(Gemv.I, data, row + (long) u * 4 * L, Gemv.LE);
                FloatVector d0 = ((FloatVector) v.and(m0).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xq, xo));
                FloatVector d1 = ((FloatVector) v.and(m1).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, xq, xo + L));
                d0 = ((FloatVector) v.and(m2).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 2 * L), d0);
                d1 = ((FloatVector) v.and(m3).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 3 * L), d1);
                d0 = ((FloatVector) v.and(m4).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 4 * L), d0);
                d1 = ((FloatVector) v.and(m5).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 5 * L), d1);
                d0 = ((FloatVector) v.and(m6).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 6 * L), d0);
                d1 = ((FloatVector) v.lanewise(VectorOperators.LSHR, 28).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xq, xo + 7 * L), d1);
                FloatVector s = twoBlocks
                        ? FloatVector.fromArray(F, sc, si + 2 * u).rearrange(PAIR)
                        : FloatVector.broadcast(F, sc[si + (u >> shift)]);
                acc = d0.add(d1).fma(s, acc);
            }
            // the lanes summed in a fixed tree order, in line: a call here would spill every live vector
            if (L > 8) acc = acc.add(acc.rearrange(XOR8));
            if (L > 4) acc = acc.add(acc.rearrange(XOR4));
            acc = acc.add(acc.rearrange(XOR2));
            y[yOff + r] += acc.add(acc.rearrange(XOR1)).lane(0);
        }
    }

    /**
     * y[r] = −Σ_b scale_b·zp_b·xs_b for rows [r0, r1): the zero-point correction, L blocks at a time,
     * lanes summed in a fixed tree order, written before the row loops add their dot products. It
     * was a call per row inside them, and every call spilled the loops' live vectors. Taking it out
     * of the row loop, with the scale permute above (in-process A/B, thread CPU time, medians, load
     * ~2): int4 4096² block 32 1.06–1.14× from DRAM, 1.08× cache-resident (1.20× in a scratch
     * ablation); block 64 1.08×; int8 block 32 1.05×, block 16 0.97×.
     */
    private static void corrections(BlockQuantizedMatrix w, float[] xs, float[] y, int yOff, int r0, int r1) {
        int bpr = w.blocksPerRow(), dz = w.defaultZeroPoint();
        float[] scales = w.scales();
        byte[] zps = w.zeroPoints();
        for (int r = r0; r < r1; r++) {
            int base = r * bpr, b = 0;
            FloatVector acc = FloatVector.zero(F);
            for (; b + L <= bpr; b += L) {
                FloatVector z = zps == null ? FloatVector.broadcast(F, dz) : (FloatVector) ByteVector.fromArray(Gemv.B, zps, base + b)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, Gemv.I, 0).convert(VectorOperators.I2F, 0);
                acc = FloatVector.fromArray(F, scales, base + b).mul(z).fma(FloatVector.fromArray(F, xs, b), acc);
            }
            if (L > 8) acc = acc.add(acc.rearrange(XOR8));
            if (L > 4) acc = acc.add(acc.rearrange(XOR4));
            acc = acc.add(acc.rearrange(XOR2));
            float sum = acc.add(acc.rearrange(XOR1)).lane(0);
            for (; b < bpr; b++) sum += scales[base + b] * (zps == null ? dz : zps[base + b] & 0xFF) * xs[b];
            y[yOff + r] = -sum;
        }
    }
}
