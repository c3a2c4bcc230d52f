package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block RTN checked against a float64 restatement of the formulas, including a ragged last block. */
class BlockQuantizedWeightTest {
    @Test
    void roundTripErrorIsAtMostHalfAStepPerBlock() {
        Random r = new Random(7);
        int k = 80, n = 5; // 80 = 2 blocks of 32 + a partial block of 16
        float[] w = new float[k * n];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * (1 + i % 3));
        for (int bits : new int[] {4, 8}) for (boolean sym : new boolean[] {true, false}) {
            BlockQuantizedWeight q = BlockQuantizedWeight.quantize(w, k, n, bits, 32, sym);
            assertEquals(3, q.blocks());
            float[] d = q.dequantize();
            for (int col = 0; col < n; col++) for (int b = 0; b < 3; b++) {
                double lo = 0, hi = 0;
                for (int kk = b * 32; kk < Math.min(k, b * 32 + 32); kk++) { lo = Math.min(lo, w[kk * n + col]); hi = Math.max(hi, w[kk * n + col]); }
                int levels = (1 << bits) - 1;
                double step = sym ? 2 * Math.max(-lo, hi) / (levels - 1) : (hi - lo) / levels;
                assertEquals(step, q.scales()[col * 3 + b], step * 1e-6, "scale bits=" + bits + " sym=" + sym);
                for (int kk = b * 32; kk < Math.min(k, b * 32 + 32); kk++) {
                    double err = Math.abs(d[kk * n + col] - w[kk * n + col]);
                    assertTrue(err <= step / 2 * (1 + 1e-5), "bits=" + bits + " sym=" + sym + " k=" + kk + " err " + err + " step " + step);
                }
                int code0 = q.codes()[col * q.paddedK()];
                assertTrue(code0 >= 0 && code0 < (1 << bits));
            }
            // padding holds the zero-point, so it contributes nothing to a dot product
            for (int col = 0; col < n; col++) for (int kk = k; kk < q.paddedK(); kk++)
                assertEquals(q.zeroPoints()[col * 3 + 2], q.codes()[col * q.paddedK() + kk]);
        }
    }
}
