package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WeightMatrixTest {

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** y = W·x computed in float64 from the decoded weights: the reference the kernels must match. */
    static double[] reference(WeightMatrix w, float[] x) {
        float[] d = w.toFloat();
        double[] y = new double[w.rows()];
        for (int r = 0; r < w.rows(); r++) {
            double s = 0;
            for (int c = 0; c < w.cols(); c++) s += (double) d[r * w.cols() + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matvecAndMatmulMatchFloat64Reference(GgmlType type) {
        Random rnd = new Random(type.ordinal());
        int rows = 67, cols = 512;
        float[] w = random(rnd, rows * cols);
        WeightMatrix m = WeightMatrix.quantize(type, rows, cols, w, null);
        assertEquals((long) rows * type.byteSize(cols), m.byteSize());
        float[] x = random(rnd, cols);
        double[] ref = reference(m, x);
        for (int threads : new int[] {1, 2, 3}) {
            float[] y = new float[rows];
            m.matvec(x, y, threads);
            for (int r = 0; r < rows; r++)
                assertEquals(ref[r], y[r], 1e-4 * (1 + Math.abs(ref[r])), type + " row " + r + " threads " + threads);
        }
        int batch = 3;
        float[] xs = random(rnd, batch * cols);
        float[] ys = new float[batch * rows];
        m.matmul(xs, batch, ys, 2);
        for (int i = 0; i < batch; i++) {
            float[] xi = java.util.Arrays.copyOfRange(xs, i * cols, (i + 1) * cols);
            double[] ri = reference(m, xi);
            for (int r = 0; r < rows; r++)
                assertEquals(ri[r], ys[i * rows + r], 1e-4 * (1 + Math.abs(ri[r])), type + " batch " + i + " row " + r);
        }
    }

    @org.junit.jupiter.api.Test
    void rejectsShortDataAndBadShapes() {
        var seg = java.lang.foreign.MemorySegment.ofArray(new byte[99]);
        assertThrows(IllegalArgumentException.class, () -> new WeightMatrix(GgmlType.F32, 5, 5, seg));
        assertThrows(IllegalArgumentException.class, () -> new WeightMatrix(GgmlType.Q8_0, 1, 33, seg));
        assertThrows(UnsupportedOperationException.class, () -> new WeightMatrix(GgmlType.Q2_K, 1, 256, seg));
    }
}
