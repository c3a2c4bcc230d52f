package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Degenerate blocks (all zero, constant, one outlier, all of one sign, small and large scales):
 * every encoder, RTN and importance-weighted, must give finite values within the format's bound.
 * Scales are kept where an fp16 block scale stays a normal number (|x| from 0.01 to 100), as in
 * GGML: smaller groups underflow the fp16 scale in GGML too.
 */
class EdgeCaseBlockTest {

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void degenerateBlocksStayFiniteAndWithinBound(GgmlType t) {
        int n = 512;
        Random r = new Random(9);
        IntToDoubleFunction[] cases = {
            i -> 0,
            i -> 0.37,
            i -> -2.5,
            i -> i == 77 ? 60 : 0.01 * r.nextGaussian(),
            i -> Math.abs(r.nextGaussian()) + 0.1,
            i -> -Math.abs(r.nextGaussian()) - 0.1,
            i -> 0.01 * r.nextGaussian(),
            i -> 100 * r.nextGaussian(),
        };
        float[] imp = new float[n];
        for (int i = 0; i < n; i++) imp[i] = i % 3 == 0 ? 0 : (float) Math.exp(r.nextGaussian());
        for (int c = 0; c < cases.length; c++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) cases[c].applyAsDouble(i);
            for (float[] w : new float[][] {null, imp}) {
                MemorySegment s = MemorySegment.ofArray(new byte[(int) t.byteSize(n)]);
                t.format().quantize(x, 0, w, 0, n, s, 0);
                float[] y = new float[n];
                t.format().dequantize(s, 0, y, 0, n);
                for (int i = 0; i < n; i++) {
                    assertTrue(Float.isFinite(y[i]), t + " case " + c + (w == null ? " RTN" : " weighted") + ": weight " + i + " decodes to " + y[i]);
                    // the error bound is the RTN one; the weighted search may trade error on weights of importance 0
                    if (w == null) assertTrue(Math.abs(x[i] - y[i]) <= BlockFormatTest.maxError(t, s, i, x[i]),
                            t + " case " + c + " weight " + i + ": " + x[i] + " -> " + y[i]);
                }
                if (c == 0) assertArrayEquals(new float[n], y, t + " zeros decode to zeros");
                float[] ones = new float[n];
                Arrays.fill(ones, 1);
                double ref = 0;
                for (float v : y) ref += v;
                assertEquals(ref, t.format().dot(s, 0, ones, 0, n), 1e-4 * (1 + Math.abs(ref)), t + " case " + c + " dot");
            }
        }
    }
}
