package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API row kernels of the depthwise convolution against their scalar reference, on every range shape. */
class RowFmaTest {

    @Test
    void vectorMatchesScalarOnEveryRangeAndOffset() {
        Random r = new Random(9);
        float[] s = new float[300];
        for (int i = 0; i < s.length; i++) s[i] = r.nextFloat() * 2 - 1;
        RowFma v = new VectorRowFma(), ref = new RowFma.Scalar();
        for (int lo = 0; lo < 20; lo += 3) {
            for (int hi = lo; hi < 90; hi += 7) {
                float[] y1 = new float[100], y2 = new float[100];
                for (int i = 0; i < 100; i++) y1[i] = y2[i] = i * 0.01f;
                v.tap3(y1, 5, s, 3, 40, 101, 0.5f, -1.25f, 2f, lo, hi);
                ref.tap3(y2, 5, s, 3, 40, 101, 0.5f, -1.25f, 2f, lo, hi);
                v.tap1(y1, 2, s, 17, -0.75f, lo, hi);
                ref.tap1(y2, 2, s, 17, -0.75f, lo, hi);
                // Fused multiply-adds round once where the scalar form rounds twice.
                for (int i = 0; i < 100; i++) assertEquals(y2[i], y1[i], 1e-5, "lo " + lo + " hi " + hi + " at " + i);
            }
        }
    }
}
