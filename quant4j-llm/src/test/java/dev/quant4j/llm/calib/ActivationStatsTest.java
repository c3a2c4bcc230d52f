package dev.quant4j.llm.calib;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationStatsTest {
    @Test
    void mergedPartsEqualTheWhole() {
        SplittableRandom rnd = new SplittableRandom(1);
        int cols = 7;
        ActivationStats whole = new ActivationStats(cols, true), a = new ActivationStats(cols, true), b = new ActivationStats(cols, true);
        float[][] xs = new float[50][cols];
        for (int s = 0; s < xs.length; s++) {
            for (int j = 0; j < cols; j++) xs[s][j] = (float) rnd.nextGaussian();
            whole.add(xs[s], 0, cols);
            (s < 20 ? a : b).add(xs[s], 0, cols);
        }
        a.merge(b);
        assertEquals(50, a.count());
        assertArrayEquals(whole.hessian(), a.hessian(), 1e-12);
        assertArrayEquals(whole.meanSquare(), a.meanSquare(), 1e-6f);
        // and the figures themselves, computed directly
        double h01 = 0, sq3 = 0, abs2 = 0;
        for (float[] x : xs) { h01 += x[0] * x[1] / 50.0; sq3 += x[3] * x[3] / 50.0; abs2 += Math.abs(x[2]) / 50.0; }
        assertEquals(h01, a.hessian()[1], 1e-9);
        assertEquals(h01, a.hessian()[cols], 1e-9);
        assertEquals(sq3, a.meanSquare()[3], 1e-6);
        assertEquals(abs2, a.meanAbs()[2], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> a.merge(new ActivationStats(cols, false)));
        assertThrows(IllegalStateException.class, () -> new ActivationStats(cols, false).hessian());
    }
}
