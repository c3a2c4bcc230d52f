package dev.quant4j.data.image;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BilinearTest {
    /**
     * The float64 reference, written as a sum over every input pixel with the triangle kernel
     * max(0, 1 − |s − i|) at the half-pixel source coordinate s, clamped to [0, n − 1] — the
     * definition, not the two-tap shortcut the implementation takes.
     */
    static double[] reference(float[] in, int C, int H, int W, int oh, int ow) {
        double[] out = new double[C * oh * ow];
        for (int c = 0; c < C; c++)
            for (int y = 0; y < oh; y++) {
                double sy = Math.min(Math.max((y + 0.5) * H / oh - 0.5, 0), H - 1);
                for (int x = 0; x < ow; x++) {
                    double sx = Math.min(Math.max((x + 0.5) * W / ow - 0.5, 0), W - 1), acc = 0;
                    for (int i = 0; i < H; i++) {
                        double wy = Math.max(0, 1 - Math.abs(sy - i));
                        if (wy == 0) continue;
                        for (int j = 0; j < W; j++) acc += wy * Math.max(0, 1 - Math.abs(sx - j)) * in[(c * H + i) * W + j];
                    }
                    out[(c * oh + y) * ow + x] = acc;
                }
            }
        return out;
    }

    @Test
    void matchesTheFloat64DefinitionUpAndDown() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] cases = {{25, 25, 128, 128}, {28, 28, 7, 9}, {48, 300, 48, 192}, {1, 5, 3, 17}, {13, 1, 40, 2}, {100, 37, 33, 100}};
        for (int[] k : cases) {
            int C = 2, H = k[0], W = k[1];
            float[] d = new float[C * H * W];
            for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble(0, 255);
            FloatImage out = Bilinear.resize(new FloatImage(C, H, W, d), k[2], k[3]);
            double[] ref = reference(d, C, H, W, k[2], k[3]);
            for (int i = 0; i < ref.length; i++) assertEquals(ref[i], out.data()[i], 2e-4, java.util.Arrays.toString(k) + " at " + i);
        }
    }

    @Test
    void twoByTwoToFourByFour() {
        // Worked by hand from the half-pixel rule: sources −0.25→0, 0.25, 0.75, 1.25→1.
        FloatImage out = Bilinear.resize(new FloatImage(1, 2, 2, new float[] {0, 10, 20, 30}), 4, 4);
        assertArrayEquals(new float[] {0, 2.5f, 7.5f, 10, 5, 7.5f, 12.5f, 15, 15, 17.5f, 22.5f, 25, 20, 22.5f, 27.5f, 30}, out.data(), 1e-6f);
    }

    @Test
    void constantStaysConstant() {
        FloatImage out = Bilinear.resize(FloatImage.blank(3, 17, 23, 0.75f), 48, 5);
        for (float v : out.data()) assertEquals(0.75f, v, 1e-6f);
    }
}
