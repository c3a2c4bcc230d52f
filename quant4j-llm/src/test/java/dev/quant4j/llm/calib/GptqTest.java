package dev.quant4j.llm.calib;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GptqTest {

    /** Inputs with correlated channels of very different sizes, as in a transformer. */
    static double[] correlatedHessian(int cols, int samples, SplittableRandom rnd) {
        double[] mix = new double[cols * cols];
        for (int i = 0; i < mix.length; i++) mix[i] = rnd.nextGaussian() * (i % (cols + 1) == 0 ? 2 : 0.3);
        double[] h = new double[cols * cols];
        double[] z = new double[cols], x = new double[cols];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < cols; i++) z[i] = rnd.nextGaussian();
            for (int i = 0; i < cols; i++) {
                double v = 0;
                for (int k = 0; k < cols; k++) v += mix[i * cols + k] * z[k];
                x[i] = v * (i % 5 == 0 ? 4 : 1);
            }
            for (int i = 0; i < cols; i++) for (int j = 0; j < cols; j++) h[i * cols + j] += x[i] * x[j] / samples;
        }
        return h;
    }

    static double outputError(float[] w, float[] q, double[] h, int rows, int cols) {
        double t = 0;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < cols; i++) {
                double ei = w[r * cols + i] - q[r * cols + i];
                for (int j = 0; j < cols; j++) t += ei * h[i * cols + j] * (w[r * cols + j] - q[r * cols + j]);
            }
        return t;
    }

    static float[] randomWeights(int n, SplittableRandom rnd) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (rnd.nextGaussian() * 0.1);
        return w;
    }

    @Test
    void lowersOutputErrorBelowRoundToNearest() {
        SplittableRandom rnd = new SplittableRandom(11);
        int rows = 24, cols = 256;
        double[] h = correlatedHessian(cols, 600, rnd);
        float[] w = randomWeights(rows * cols, rnd);
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_0, GgmlType.Q5_0}) {
            double rtn = outputError(w, WeightMatrix.quantize(t, rows, cols, w, null).toFloat(), h, rows, cols);
            double gptq = outputError(w, Gptq.quantize(t, rows, cols, w, h, Gptq.DEFAULT_DAMP).toFloat(), h, rows, cols);
            assertTrue(gptq < 0.8 * rtn, t + ": GPTQ output error " + gptq + " vs RTN " + rtn);
        }
    }

    /**
     * The same algorithm written the slow way (OBS form, as the GPTQ paper derives it): after each
     * column, update the remaining weights with the current inverse Hessian and eliminate that
     * column from it. No Cholesky, no lazy batches. Same grid choice at each block start.
     */
    @Test
    void matchesTheSequentialInverseHessianForm() {
        SplittableRandom rnd = new SplittableRandom(12);
        int rows = 6, cols = 192; // two lazy batches (128 + 64) of Q4_0 blocks
        double[] h = correlatedHessian(cols, 400, rnd);
        float[] w = randomWeights(rows * cols, rnd);
        GgmlType t = GgmlType.Q4_0;
        float[] fast = Gptq.quantize(t, rows, cols, w, h, 0.01).toFloat();

        double meanDiag = 0;
        for (int i = 0; i < cols; i++) meanDiag += h[i * cols + i] / cols;
        double[] hd = h.clone();
        float[] imp = new float[cols];
        for (int i = 0; i < cols; i++) { imp[i] = (float) h[i * cols + i]; hd[i * cols + i] += 0.01 * meanDiag; }
        double[] hinv = Cholesky.inverse(hd, cols);
        double[] W = new double[w.length];
        for (int i = 0; i < w.length; i++) W[i] = w[i];
        float[] slow = new float[w.length];
        float[][] a = new float[rows][32], b = new float[rows][32];
        MemorySegment blk = MemorySegment.ofArray(new byte[t.bytesPerBlock()]);
        float[] bw = new float[32];
        for (int i = 0; i < cols; i++) {
            if (i % 32 == 0)
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < 32; j++) bw[j] = (float) W[r * cols + i + j];
                    CodeGrid.choose(t, bw, 0, imp, i, blk, 0, a[r], b[r]);
                }
            double d = hinv[i * cols + i];
            for (int r = 0; r < rows; r++) {
                double v = W[r * cols + i];
                int c = CodeGrid.nearest(v, a[r][i % 32], b[r][i % 32], 15);
                double q = (double) a[r][i % 32] * c + b[r][i % 32];
                slow[r * cols + i] = (float) q;
                for (int j = i + 1; j < cols; j++) W[r * cols + j] -= (v - q) / d * hinv[i * cols + j];
            }
            // eliminate column i: Hinv ← Hinv − Hinv[:,i]·Hinv[i,:] / Hinv[i,i]
            double[] col = new double[cols];
            for (int k = 0; k < cols; k++) col[k] = hinv[k * cols + i];
            for (int k = 0; k < cols; k++) for (int j = 0; j < cols; j++) hinv[k * cols + j] -= col[k] * col[j] / d;
        }
        int same = 0;
        for (int i = 0; i < w.length; i++) if (Math.abs(fast[i] - slow[i]) <= 1e-4 * Math.abs(slow[i]) + 1e-7) same++;
        assertTrue(same >= 0.99 * w.length, "only " + same + " of " + w.length + " weights agree");
        double ef = outputError(w, fast, h, rows, cols), es = outputError(w, slow, h, rows, cols);
        assertEquals(es, ef, 0.01 * es);
    }

    @Test
    void deadInputColumnsAndBadShapes() {
        SplittableRandom rnd = new SplittableRandom(13);
        int rows = 4, cols = 64;
        double[] h = correlatedHessian(cols, 200, rnd);
        for (int j = 0; j < cols; j++) { h[5 * cols + j] = 0; h[j * cols + 5] = 0; }
        float[] w = randomWeights(rows * cols, rnd);
        float[] q = Gptq.quantize(GgmlType.Q8_0, rows, cols, w, h, 0.01).toFloat();
        for (int r = 0; r < rows; r++) assertEquals(0f, q[r * cols + 5], "a column never activated is zeroed");
        assertThrows(IllegalArgumentException.class, () -> Gptq.quantize(GgmlType.Q4_0, rows, 48, new float[rows * 48], new double[48 * 48], 0.01));
        assertThrows(IllegalArgumentException.class, () -> Gptq.quantize(GgmlType.F16, rows, cols, w, h, 0.01));
    }
}
