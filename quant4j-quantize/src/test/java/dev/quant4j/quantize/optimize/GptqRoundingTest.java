package dev.quant4j.quantize.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Node;
import dev.quant4j.quantize.BlockQuantizedWeight;
import dev.quant4j.quantize.WeightOnlyQuantizer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GPTQ and the clip search on a synthetic layer with correlated inputs: judged by the layer's
 * output error on held-out inputs from the same distribution, computed in float64 against the
 * float weights, next to round-to-nearest on the same grid.
 */
class GptqRoundingTest {
    static final int K = 128, N = 48, ROWS = 2000;

    /** Inputs x = z·M with a random mixing M (correlated channels) and a few loud channels. */
    static float[] inputs(Random r, float[][] mix, int rows) {
        float[] x = new float[rows * K];
        for (int t = 0; t < rows; t++) {
            double[] z = new double[K];
            for (int i = 0; i < K; i++) z[i] = r.nextGaussian() * (i % 16 == 0 ? 8 : 1);
            for (int j = 0; j < K; j++) {
                double s = 0;
                for (int i = 0; i < K; i++) s += z[i] * mix[i][j];
                x[t * K + j] = (float) s;
            }
        }
        return x;
    }

    static double outputError(float[] x, float[] w, float[] q) {
        int rows = x.length / K;
        double e = 0;
        for (int t = 0; t < rows; t++)
            for (int c = 0; c < N; c++) {
                double d = 0;
                for (int k = 0; k < K; k++) d += (double) x[t * K + k] * ((double) q[k * N + c] - w[k * N + c]);
                e += d * d;
            }
        return e / rows;
    }

    static double weightError(float[] w, float[] q) {
        double e = 0;
        for (int i = 0; i < w.length; i++) e += (double) (w[i] - q[i]) * (w[i] - q[i]);
        return e;
    }

    @Test
    void gptqLowersTheOutputErrorAndClipSearchTheWeightError() {
        Random r = new Random(7);
        float[][] mix = new float[K][K];
        for (int i = 0; i < K; i++) for (int j = 0; j < K; j++) mix[i][j] = (float) ((i == j ? 1 : 0) + 0.3 * r.nextGaussian() / Math.sqrt(K));
        float[] w = new float[K * N];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * (r.nextInt(50) == 0 ? 6 : 1));
        float[] calib = inputs(r, mix, ROWS), held = inputs(r, mix, 500);
        InputHessian h = new InputHessian(K);
        h.add(calib, null);
        Node mm = Node.of("MatMul", "mm", List.of("x", "w"), List.of("y"));
        for (boolean sym : new boolean[] {true, false}) {
            BlockQuantizedWeight rtn = WeightOnlyQuantizer.RTN.quantize(mm, w, K, N, 4, 32, sym);
            BlockQuantizedWeight clip = new ClipSearchRounding().quantize(mm, w, K, N, 4, 32, sym);
            BlockQuantizedWeight gptq = new GptqRounding(Map.of("x", h), GptqRounding.DEFAULT_DAMP, false).quantize(mm, w, K, N, 4, 32, sym);
            double eR = outputError(held, w, rtn.dequantize()), eC = outputError(held, w, clip.dequantize()), eG = outputError(held, w, gptq.dequantize());
            System.out.printf("synthetic %dx%d int4 bs32 %s, held-out output MSE: RTN %.4g, clip search %.4g, GPTQ %.4g; weight SSE RTN %.4g, clip %.4g%n",
                    K, N, sym ? "sym" : "zp", eR, eC, eG, weightError(w, rtn.dequantize()), weightError(w, clip.dequantize()));
            assertTrue(eG < 0.8 * eR, "GPTQ " + eG + " vs RTN " + eR);
            assertTrue(weightError(w, clip.dequantize()) < weightError(w, rtn.dequantize()));
            assertEquals(rtn.scales().length, gptq.scales().length);
        }
    }

    @Test
    void aMissingHessianIsNamed() {
        Node mm = Node.of("MatMul", "proj", List.of("hidden", "w"), List.of("y"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GptqRounding(Map.of(), 0.01, false).quantize(mm, new float[32 * 2], 32, 2, 4, 32, true));
        assertTrue(e.getMessage().contains("proj") && e.getMessage().contains("hidden"), e.getMessage());
    }

    @Test
    void upperFactorOfTheInverseMatchesAFloat64Solve() {
        Random r = new Random(3);
        int n = 40;
        double[] a = new double[n * n];
        for (int t = 0; t < 3 * n; t++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] += v[i] * v[j];
        }
        double[] u = SpdInverse.upperFactorOfInverse(a, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) assertEquals(0, u[i * n + j], "U is upper triangular");
        // (Uᵀ·U)·A = I
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    double inv = 0;
                    for (int m = 0; m < n; m++) inv += u[m * n + i] * u[m * n + k];
                    s += inv * a[k * n + j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-9, "(" + i + "," + j + ")");
            }
        double[] notPd = {1, 2, 2, 1};
        assertEquals(null, SpdInverse.upperFactorOfInverse(notPd, 2));
    }
}
