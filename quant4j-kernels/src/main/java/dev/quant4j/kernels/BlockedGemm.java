package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.L;
import static dev.quant4j.kernels.F32Tile.MR;
import static dev.quant4j.kernels.F32Tile.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * One cache-blocked GEMM call, C[m×n] = A[m×k]·B[k×n], around {@link F32Tile}. Subclasses say
 * where A and B come from (fp32 arrays, int8 codes, block-quantized weights) by packing them into
 * fp32 micro-panels; this class owns the loops, the threads and the output.
 *
 * <pre>
 * for each k block p0 (KC deep):
 *   for each column block (NCP micro-panels of NR):  B block KC×NCP·NR floats, 512 KB, streams from L2/L3
 *     for each group of MR rows:                     A micro-panel MR×KC, pre-broadcast (×L) once per B block, in L1
 *       for each B micro-panel jp of the block:
 *         tile(MR×NR) (+)= A micro-panel · B micro-panel
 * </pre>
 * The pre-broadcast A micro-panel is the larger operand per k step (MR vectors against NR/L), so
 * it is the one kept in L1; B streams from L2. A dequantizing B source converts each B micro-panel
 * once per call and thread. Threads split the micro-panels (columns) when there are enough of
 * them, else the rows. The output is either fp32 C (set on the first k block unless
 * accumulating) or, for integer GEMM, dense int32 accumulators that each k block's exact float
 * tile is added to.
 */
abstract class BlockedGemm {
    /**
     * k block depth: the pre-broadcast A micro-panel, MR·KC·L floats, must stay in L1 (24 KB on
     * AVX2, 32 KB on AVX-512); the exact int8 path also needs KC ≤ 258 (see {@link I8Panels}).
     */
    static final int KC = 128;
    /**
     * Micro-panels per B block: KC·NR·NCP floats = 512 KB, the size of this machine's L2. Each
     * B block costs one packing of the pre-broadcast A (8× the plain A), so fewer, wider blocks
     * save packing, even though the block does not stay whole in L2. Measured with the one-pass
     * broadcast below against the old 256 KB blocks (in-process A/B, 1 thread, CPU time): 1024³
     * 1.13–1.22× with the default heap, 1.01–1.03× under -Xmx4g (JMH's setting), 1040³ 1.15× —
     * the gain depends on where the operands fall in the cache sets.
     */
    static final int NCP = (512 << 10) / (KC * NR * 4);

    final int m, n, k;
    final float[] c;
    final int cOff, ldc;
    final boolean accumulate;
    final int[] acc;

    /** fp32 output. */
    BlockedGemm(int m, int n, int k, float[] c, int cOff, int ldc, boolean accumulate) {
        this.m = m; this.n = n; this.k = k;
        this.c = c; this.cOff = cOff; this.ldc = ldc; this.accumulate = accumulate;
        this.acc = null;
    }

    /** int32 output into {@code acc} [m×n], which must start zeroed. */
    BlockedGemm(int m, int n, int k, int[] acc) {
        this.m = m; this.n = n; this.k = k;
        this.c = null; this.cOff = 0; this.ldc = n; this.accumulate = true;
        this.acc = acc;
    }

    /** Per-thread buffers, reused across calls. */
    static final class Scratch {
        final float[] plain = new float[MR * KC];
        /** The pre-broadcast A micro-panel, from a[aOff] on, 64-byte aligned where the JVM allows ({@link AlignedFloats}). */
        final float[] a;
        final int aOff;
        /** Converted B micro-panels of one block, slot s at s·KC·NR. */
        final float[] b = new float[NCP * KC * NR];
        final float[][] bArr = new float[NCP][];
        final int[] bOff = new int[NCP];
        final float[] tile = new float[MR * NR];
        /** Raw weight codes of one row's k block, for dequantizing sources. */
        final byte[] codes = new byte[KC];

        Scratch() {
            AlignedFloats panel = AlignedFloats.allocate(MR * KC * L);
            a = panel.data();
            aOff = panel.offset();
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Packs rows [i0, i0+rows) × columns [p0, p0+kc) of A into {@code dst}: for row group g,
     * dst[g·MR·kc + p·MR + r]; rows past the end are zero.
     */
    abstract void packA(float[] dst, int i0, int rows, int p0, int kc);

    /**
     * Fills {@code s.a} with the pre-broadcast A micro-panel of rows [i0, i0+rows) (rows ≤ MR),
     * columns [p0, p0+kc): s.a[s.aOff + (p·MR + r)·L + l] = A[i0+r][p0+p]. By default through
     * {@link #packA} and a broadcast pass; fp32 sources broadcast straight from A.
     */
    void packBroadcastA(Scratch s, int i0, int rows, int p0, int kc) {
        packA(s.plain, i0, rows, p0, kc);
        broadcast(s.plain, s.a, s.aOff, MR * kc);
    }

    /**
     * Makes B rows [p0, p0+kc) of micro-panel jp available as kc×NR floats (row stride NR): either
     * where they already are, or converted into {@code s.b} at slot·KC·NR. Sets
     * {@code s.bArr[slot]} and {@code s.bOff[slot]}.
     */
    abstract void panel(Scratch s, int slot, int jp, int p0, int kc);

    final void run(int threads) {
        if (m == 0) return;
        int panels = (n + NR - 1) / NR, groups = (m + MR - 1) / MR;
        if (panels >= 2 * threads || groups < 2 * threads) {
            int parts = Math.min(threads, panels);
            Parallel.run(threads, parts, t -> block(0, m, Parallel.split(panels, parts, t), Parallel.split(panels, parts, t + 1)));
        } else {
            int parts = Math.min(threads, groups);
            Parallel.run(threads, parts, t -> block(Parallel.split(groups, parts, t) * MR,
                    Math.min(m, Parallel.split(groups, parts, t + 1) * MR), 0, panels));
        }
    }

    private void block(int i0, int i1, int jp0, int jp1) {
        if (i0 >= i1 || jp0 >= jp1) return;
        Scratch s = SCRATCH.get();
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            boolean set = p0 == 0 && !accumulate;
            for (int jc = jp0; jc < jp1; jc += NCP) {
                int jcEnd = Math.min(jp1, jc + NCP);
                for (int jp = jc; jp < jcEnd; jp++) panel(s, jp - jc, jp, p0, kc);
                for (int i = i0; i < i1; i += MR) {
                    int r = Math.min(MR, i1 - i);
                    packBroadcastA(s, i, r, p0, kc);
                    for (int jp = jc; jp < jcEnd; jp++) {
                        float[] b = s.bArr[jp - jc];
                        int bo = s.bOff[jp - jc], j0 = jp * NR, cols = Math.min(NR, n - j0);
                        if (acc == null && r == MR && cols == NR) {
                            F32Tile.tile(s.a, s.aOff, b, bo, kc, c, cOff + i * ldc + j0, ldc, set);
                        } else {
                            F32Tile.tile(s.a, s.aOff, b, bo, kc, s.tile, 0, NR, true);
                            storeTile(s.tile, i, r, j0, cols, set);
                        }
                    }
                }
            }
        }
    }

    /** Each packed A element to L lanes (see {@link F32Tile}). */
    private static void broadcast(float[] plain, float[] a, int aOff, int count) {
        for (int e = 0, o = aOff; e < count; e++, o += L) FloatVector.broadcast(F32Tile.F, plain[e]).intoArray(a, o);
    }

    private void storeTile(float[] t, int i, int rows, int j0, int cols, boolean set) {
        if (acc != null) {
            for (int r = 0; r < rows; r++) {
                int dst = (i + r) * n + j0, src = r * NR, j = 0;
                if (cols == NR) {
                    for (; j < NR; j += L) {
                        IntVector add = (IntVector) FloatVector.fromArray(F32Tile.F, t, src + j).convert(VectorOperators.F2I, 0);
                        IntVector.fromArray(IntVector.SPECIES_PREFERRED, acc, dst + j).add(add).intoArray(acc, dst + j);
                    }
                }
                for (; j < cols; j++) acc[dst + j] += (int) t[src + j];
            }
        } else {
            for (int r = 0; r < rows; r++) {
                int dst = cOff + (i + r) * ldc + j0, src = r * NR;
                if (set) System.arraycopy(t, src, c, dst, cols);
                else for (int j = 0; j < cols; j++) c[dst + j] += t[src + j];
            }
        }
    }

    /**
     * {@link #packBroadcastA} for fp32 A [m×k] with row stride lda, in one pass: k outer, rows
     * inner, so the stores run sequentially through the panel (no plain intermediate); ~4% faster
     * than packing plain and broadcasting after in one scratch A/B (default heap).
     */
    static void broadcastFloatA(float[] a, int aOff, int lda, int m, float[] dst, int dstOff, int i0, int rows, int p0, int kc) {
        int full = Math.min(rows, m - i0), src = aOff + i0 * lda + p0;
        if (full == MR) {
            for (int p = 0, o = dstOff; p < kc; p++, o += MR * L)
                for (int r = 0; r < MR; r++) FloatVector.broadcast(F32Tile.F, a[src + r * lda + p]).intoArray(dst, o + r * L);
            return;
        }
        for (int p = 0, o = dstOff; p < kc; p++, o += MR * L) {
            for (int r = 0; r < full; r++) FloatVector.broadcast(F32Tile.F, a[src + r * lda + p]).intoArray(dst, o + r * L);
            for (int r = full; r < MR; r++) FloatVector.zero(F32Tile.F).intoArray(dst, o + r * L);
        }
    }

    /** Shared {@link #packA} for fp32 A [m×k] with row stride lda. */
    static void packFloatA(float[] a, int aOff, int lda, int m, float[] dst, int i0, int rows, int p0, int kc) {
        int groups = (rows + MR - 1) / MR;
        for (int g = 0; g < groups; g++) {
            int base = g * MR * kc;
            for (int r = 0; r < MR; r++) {
                int i = i0 + g * MR + r;
                if (i >= i0 + rows || i >= m) {
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0f;
                } else {
                    int src = aOff + i * lda + p0;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = a[src + p];
                }
            }
        }
    }
}
