package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/** Weight-only GEMV/GEMM on block-quantized matrices against the scalar oracle. */
class PanamaWeightOnlyTest {
    static final Kernels SCALAR = new ScalarKernels();
    static final Kernels P1 = new PanamaKernels(1), P2 = new PanamaKernels(2), P3 = new PanamaKernels(3);
    /** gemmQ through the dequantizing GEMM whatever m is. */
    static final Kernels Q1 = new PanamaKernels(1, false, 0), Q2 = new PanamaKernels(2, false, 0);
    static final Arena ARENA = Arena.ofShared();

    @AfterContainer
    static void close() { ARENA.close(); }

    static BlockQuantizedMatrix random(Random r, int rows, int cols, int bits, int blockSize, boolean zeroPoints, boolean offHeap) {
        int bpr = (cols + blockSize - 1) / blockSize;
        byte[] data = Operands.bytes(r, rows * bpr * blockSize * bits / 8);
        float[] scales = new float[rows * bpr];
        for (int i = 0; i < scales.length; i++) scales[i] = r.nextFloat() * 0.1f + 0.001f;
        byte[] zps = zeroPoints ? Operands.bytes(r, rows * bpr) : null;
        if (zps != null && bits == 4) for (int i = 0; i < zps.length; i++) zps[i] &= 0x0F;
        return new BlockQuantizedMatrix(rows, cols, bits, blockSize, Operands.segment(data, offHeap, ARENA), scales, zps);
    }

    /** Error bound: the vector path sums code·x and zp·Σx separately, so both magnitudes count. */
    static double magnitude(BlockQuantizedMatrix w, int r, float[] x, int xOff) {
        double abs = 0;
        for (int c = 0; c < w.cols(); c++) {
            int blk = r * w.blocksPerRow() + c / w.blockSize();
            int zp = w.zeroPoints() == null ? w.defaultZeroPoint() : w.zeroPoints()[blk] & 0xFF;
            abs += Math.abs(w.scales()[blk]) * (ScalarKernels.code(w, r, c) + zp) * Math.abs(x[xOff + c]);
        }
        return abs;
    }

    @Property(tries = 60)
    void gemvQMatchesScalar(@ForAll @IntRange(min = 1, max = 40) int rows, @ForAll @IntRange(min = 1, max = 600) int cols,
                            @ForAll boolean four, @ForAll @IntRange(min = 4, max = 7) int log2Block,
                            @ForAll boolean zeroPoints, @ForAll boolean offHeap, @ForAll long seed) {
        Random r = new Random(seed);
        BlockQuantizedMatrix w = random(r, rows, cols, four ? 4 : 8, 1 << log2Block, zeroPoints, offHeap);
        int xOff = r.nextInt(3), yOff = r.nextInt(3);
        float[] x = Operands.floats(r, xOff + cols);
        float[] expect = new float[yOff + rows], got = new float[yOff + rows], got3 = new float[yOff + rows];
        SCALAR.gemvQ(w, x, xOff, expect, yOff);
        P1.gemvQ(w, x, xOff, got, yOff);
        P3.gemvQ(w, x, xOff, got3, yOff);
        for (int i = 0; i < rows; i++)
            assertEquals(expect[yOff + i], got[yOff + i], Operands.tolerance(cols, magnitude(w, i, x, xOff)), "row " + i);
        assertArrayEquals(got, got3);
    }

    /** Shapes the int-lane loops take (one and two blocks per unit, padded last blocks), asserted to take them. */
    @Property(tries = 24)
    void laneLoopsMatchScalar(@ForAll @IntRange(min = 0, max = 5) int shape, @ForAll boolean four, @ForAll boolean zeroPoints,
                              @ForAll boolean offHeap, @ForAll long seed) {
        int[][] shapes = four ? new int[][] {{32, 64}, {32, 4 * 64 - 5}, {64, 230}, {128, 384}, {128, 260}, {256, 512}}
                              : new int[][] {{16, 32}, {16, 120}, {32, 96}, {64, 230}, {128, 300}, {256, 512}};
        int blockSize = shapes[shape][0], cols = shapes[shape][1], rows = 1 + (int) Math.floorMod(seed, 9L);
        Random r = new Random(seed);
        BlockQuantizedMatrix w = random(r, rows, cols, four ? 4 : 8, blockSize, zeroPoints, offHeap);
        assertTrue(CodeLanes.fits(w) || F32Tile.L != 8, "shape " + blockSize + "/" + cols + " should take the int-lane loop");
        float[] x = Operands.floats(r, cols + 1);
        float[] expect = new float[rows + 1], got = new float[rows + 1], got2 = new float[rows + 1];
        SCALAR.gemvQ(w, x, 1, expect, 1);
        P1.gemvQ(w, x, 1, got, 1);
        P2.gemvQ(w, x, 1, got2, 1);
        for (int i = 0; i < rows; i++)
            assertEquals(expect[1 + i], got[1 + i], Operands.tolerance(cols, magnitude(w, i, x, 1)), "row " + i);
        assertArrayEquals(got, got2);
    }

    /**
     * The int-lane loops multiply code·2^(k·bits) by x·2^(−k·bits) (see {@link CodeLanes}): activations
     * from 2^−90 to 2^90 must come out as exact as unscaled ones.
     */
    @Property(tries = 16)
    void laneLoopsKeepWideRangeActivations(@ForAll boolean four, @ForAll boolean zeroPoints, @ForAll long seed) {
        Random r = new Random(seed);
        int rows = 5, cols = 256;
        BlockQuantizedMatrix w = random(r, rows, cols, four ? 4 : 8, 32, zeroPoints, true);
        assertTrue(CodeLanes.fits(w) || F32Tile.L != 8);
        float[] x = new float[cols];
        for (int c = 0; c < cols; c++) x[c] = Math.scalb(r.nextFloat() - 0.5f, r.nextInt(-90, 91));
        float[] expect = new float[rows], got = new float[rows];
        SCALAR.gemvQ(w, x, 0, expect, 0);
        P1.gemvQ(w, x, 0, got, 0);
        for (int i = 0; i < rows; i++) {
            assertTrue(Float.isFinite(got[i]), "row " + i);
            assertEquals(expect[i], got[i], Operands.tolerance(cols, magnitude(w, i, x, 0)), "row " + i);
        }
    }

    @Property(tries = 30)
    void gemmQMatchesScalar(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 150) int rows,
                            @ForAll @IntRange(min = 1, max = 300) int cols, @ForAll boolean four,
                            @ForAll @IntRange(min = 4, max = 7) int log2Block, @ForAll boolean zeroPoints,
                            @ForAll boolean offHeap, @ForAll long seed) {
        Random r = new Random(seed);
        BlockQuantizedMatrix w = random(r, rows, cols, four ? 4 : 8, 1 << log2Block, zeroPoints, offHeap);
        int ldx = cols + r.nextInt(3), ldy = rows + r.nextInt(3), xOff = r.nextInt(3), yOff = r.nextInt(3);
        float[] x = Operands.floats(r, xOff + m * ldx);
        float[] expect = new float[yOff + m * ldy];
        SCALAR.gemmQ(m, x, xOff, ldx, w, expect, yOff, ldy);
        for (Kernels[] pair : new Kernels[][] {{Q1, Q2}, {P1, P2}}) {
            float[] got = new float[yOff + m * ldy], got2 = new float[yOff + m * ldy];
            pair[0].gemmQ(m, x, xOff, ldx, w, got, yOff, ldy);
            pair[1].gemmQ(m, x, xOff, ldx, w, got2, yOff, ldy);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < rows; j++)
                    assertEquals(expect[yOff + i * ldy + j], got[yOff + i * ldy + j],
                            Operands.tolerance(cols, magnitude(w, j, x, xOff + i * ldx)), "Y[" + i + "][" + j + "]");
            assertArrayEquals(got, got2);
        }
    }

    @Property(tries = 5)
    void badShapesThrow(@ForAll boolean four) {
        Random r = new Random(3);
        BlockQuantizedMatrix w = random(r, 3, 40, four ? 4 : 8, 16, true, false);
        for (Kernels k : new Kernels[] {SCALAR, P1}) {
            assertThrows(IllegalArgumentException.class, () -> k.gemvQ(w, new float[39], 0, new float[3], 0));
            assertThrows(IllegalArgumentException.class, () -> k.gemvQ(w, new float[40], 0, new float[3], 1));
            assertThrows(IllegalArgumentException.class, () -> k.gemmQ(2, new float[80], 0, 39, w, new float[6], 0, 3));
            assertThrows(IllegalArgumentException.class, () -> k.gemmQ(2, new float[80], 0, 40, w, new float[5], 0, 3));
        }
    }
}
