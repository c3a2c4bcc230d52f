package dev.quant4j.train.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API loops against the scalar reference, at lengths around the vector width and at offsets (tails, partial spans). */
class BackwardLoopsTest {
    private static final BackwardLoops V = new VectorBackwardLoops(), S = BackwardLoops.SCALAR;

    private static float[] random(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }

    @Test void reluBackwardIsExact() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : new int[] {0, 1, 7, 8, 9, 31, 784, 1001}) {
            float[] x = random(r, n, -1, 1), dy = random(r, n, -2, 2), a = new float[n], b = new float[n];
            if (n > 3) x[3] = 0f; // the kink belongs to the zero side
            S.reluBackward(x, dy, a, n);
            V.reluBackward(x, dy, b, n);
            assertArrayEquals(a, b, "n=" + n);
        }
    }

    @Test void spanSumsAndAffine() {
        SplittableRandom r = new SplittableRandom(2);
        float[] x = random(r, 2100, 0.5, 3), dy = random(r, 2100, -1, 1);
        for (int[] span : new int[][] {{0, 0}, {3, 1}, {5, 7}, {8, 8}, {13, 17}, {100, 784}, {1, 2048}}) {
            int off = span[0], len = span[1];
            float mu = (float) (S.sum(x, off, len) / Math.max(1, len));
            assertEquals(S.sum(x, off, len), V.sum(x, off, len), 1e-5 * (1 + len), "sum " + off + "+" + len);
            assertEquals(S.sumSquaredDeviation(x, off, len, mu), V.sumSquaredDeviation(x, off, len, mu), 1e-5 * (1 + len), "squared deviation");
            assertEquals(S.dotDeviation(dy, x, off, len, mu), V.dotDeviation(dy, x, off, len, mu), 1e-5 * (1 + len), "dot");
            float[] a = new float[x.length], b = new float[x.length];
            S.affine(dy, x, a, off, len, 0.7f, -0.3f, mu, 0.1f);
            V.affine(dy, x, b, off, len, 0.7f, -0.3f, mu, 0.1f);
            for (int i = 0; i < x.length; i++) assertEquals(a[i], b[i], 1e-6f, "affine[" + i + "]");
            float[] c = dy.clone(), d = dy.clone();
            S.addInto(x, off, c, 2100 - len - 1 < 0 ? 0 : 3, Math.min(len, 2097));
            V.addInto(x, off, d, 2100 - len - 1 < 0 ? 0 : 3, Math.min(len, 2097));
            assertArrayEquals(c, d, "addInto");
        }
    }
}
