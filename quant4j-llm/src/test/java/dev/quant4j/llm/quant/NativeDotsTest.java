package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quantize.Method;
import dev.quant4j.llm.quantize.ModelQuantizer;
import dev.quant4j.llm.quantize.QuantizeOptions;
import dev.quant4j.nativekernels.GgmlDots;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native dots of {@link WeightMatrix}'s 8-bit-activation path against the scalar integer twins
 * of the Java dots ({@link Q4Q8Dots}): same {@link Q8Activations}, same integer sums, so they differ
 * by float summation order only. And a whole forward pass of stories260K, native dots vs Java dots.
 */
class NativeDotsTest {

    static void requireNative() {
        if (GgmlDots.available()) return;
        if (TestData.isCi()) fail("libquant4j.so must load under CI: " + GgmlDots.unavailableReason());
        Assumptions.abort("native library unavailable: " + GgmlDots.unavailableReason());
    }

    /** Runs {@code body} with the native dots switched on or off by the property, then restores it. */
    static <T> T withNative(boolean on, Supplier<T> body) {
        String old = System.getProperty("quant4j.llm.native");
        System.setProperty("quant4j.llm.native", Boolean.toString(on));
        try {
            assertEquals(on, NativeDots.enabled());
            return body.get();
        } finally {
            if (old == null) System.clearProperty("quant4j.llm.native"); else System.setProperty("quant4j.llm.native", old);
        }
    }

    static float twin(GgmlType t, MemorySegment s, long off, Q8Activations a, int n) {
        return switch (t) {
            case Q4_0 -> Q4Q8Dots.q4_0Reference(s, off, a, n);
            case Q4_K -> Q4Q8Dots.q4_kReference(s, off, a, n);
            default -> Q4Q8Dots.q8_0Reference(s, off, a, n);
        };
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q8_0"})
    void rowsMatchTheScalarIntegerTwin(GgmlType t) {
        requireNative();
        Random r = new Random(41 + t.ordinal());
        int unit = t.blockSize();
        for (int trial = 0; trial < 20; trial++) {
            int n = (1 + r.nextInt(9)) * unit, rows = trial == 0 ? 67 : 1 + r.nextInt(67), start = 1 + r.nextInt(21);
            long rowBytes = t.byteSize(n);
            float[] w = new float[rows * n], x = new float[n + 3];
            for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * (r.nextInt(50) == 0 ? 10 : 1));
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (r.nextInt(40) == 0 ? 20 : 1));
            MemorySegment s = (trial % 2 == 0 ? MemorySegment.ofArray(new byte[(int) (start + rowBytes * rows)])
                    : Arena.ofAuto().allocate(start + rowBytes * rows, 1)).asSlice(start); // rows start unaligned
            for (int row = 0; row < rows; row++) t.format().quantize(w, row * n, null, 0, n, s, row * rowBytes);
            Q8Activations a = Q8Activations.of(x, 3, n);
            float[] y = new float[rows + 1];
            assertTrue(NativeDots.rows(t, s, 0, rowBytes, rows, a, n, y, 1));
            for (int row = 0; row < rows; row++) {
                float[] dq = new float[n];
                t.format().dequantize(s, row * rowBytes, dq, 0, n);
                double mag = 0;
                for (int i = 0; i < n; i++) mag += Math.abs(dq[i] * a.d()[i / 32] * a.q()[i]);
                assertEquals(twin(t, s, row * rowBytes, a, n), y[1 + row], 1e-5 * mag + 1e-6, t + " n=" + n + " row " + row + "/" + rows);
            }
            assertEquals(0, y[0]);
        }
    }

    @Test
    void typesWithoutANativeDotAreLeftToTheCaller() {
        float[] y = new float[1];
        Q8Activations a = Q8Activations.of(new float[32], 0, 32);
        assertFalse(NativeDots.rows(GgmlType.Q6_K, MemorySegment.ofArray(new byte[256]), 0, 210, 1, a, 32, y, 0));
        assertFalse(withNative(false, () -> NativeDots.rows(GgmlType.Q4_0, MemorySegment.ofArray(new byte[18]), 0, 18, 1, a, 32, y, 0)));
    }

    /** matvecQuantizedInput, parallel row chunks, native on and off: both equal the twin row by row. */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q8_0"})
    void matvecAgreesWithAndWithoutNativeDots(GgmlType t) {
        requireNative();
        Assumptions.assumeTrue(Q4Q8Dots.of(t) != null, "no 256-bit vectors: the 8-bit-activation path is off");
        Random r = new Random(9);
        int rows = 301, cols = 1024;
        float[] w = new float[rows * cols], x = new float[cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian();
        WeightMatrix m = WeightMatrix.quantize(t, rows, cols, w, null);
        float[] yn = withNative(true, () -> { float[] y = new float[rows]; m.matvecQuantizedInput(x, 0, y, 0, 2); return y; });
        float[] yj = withNative(false, () -> { float[] y = new float[rows]; m.matvecQuantizedInput(x, 0, y, 0, 2); return y; });
        Q8Activations a = Q8Activations.of(x, 0, cols);
        for (int i = 0; i < rows; i++) {
            float want = twin(t, m.data(), i * m.rowBytes(), a, cols);
            assertEquals(want, yn[i], 1e-4 * (1 + Math.abs(want)), "native row " + i);
            assertEquals(want, yj[i], 1e-4 * (1 + Math.abs(want)), "java row " + i);
        }
    }

    /** stories260K quantized to Q4_0 and Q8_0: the decode logits with native dots equal those with Java dots. */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q8_0"})
    void stories260KForwardAgrees(GgmlType t) throws IOException {
        requireNative();
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel q = ModelQuantizer.quantize(LlamaModel.fromLlama2c(ck), null, QuantizeOptions.of(t, Method.RTN)).model();
            int[] tokens = {1, 400, 31, 77, 5, 260, 261, 9, 12, 499, 3, 42};
            float[][] nat = withNative(true, () -> decode(q, tokens)), jav = withNative(false, () -> decode(q, tokens));
            boolean differ = false;
            for (int p = 0; p < tokens.length; p++) {
                differ |= !java.util.Arrays.equals(nat[p], jav[p]);
                double err = 0, scale = 0;
                for (int i = 0; i < nat[p].length; i++) {
                    err = Math.max(err, Math.abs(nat[p][i] - jav[p][i]));
                    scale = Math.max(scale, Math.abs(jav[p][i]));
                }
                assertTrue(err / scale < 1e-4, t + " position " + p + ": relative logit difference " + err / scale);
            }
            assertTrue(differ, "bit-identical logits: the two runs did not take different paths");
        }
    }

    private static float[][] decode(LlamaModel m, int[] tokens) {
        Forward f = new Forward(m, 2, true);
        float[][] out = new float[tokens.length][];
        for (int p = 0; p < tokens.length; p++) out[p] = f.forward(tokens[p], p).clone();
        return out;
    }
}
