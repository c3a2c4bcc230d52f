package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every Vector API kernel against the scalar reference of its format, on random and special data. */
class VectorRowDotsTest {

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void vectorKernelMatchesScalarReference(GgmlType t) {
        RowDot v = VectorRowDots.of(t);
        org.junit.jupiter.api.Assumptions.assumeTrue(v != null, "no vector kernel on this machine (" + VectorRowDots.F + ")");
        Random r = new Random(71 + t.ordinal());
        for (int n : new int[] {256, 512, 4096}) {
            // random bytes are valid blocks for every type except in their fp16 scales: write real encodings
            float[] wsrc = new float[n];
            for (int i = 0; i < n; i++) wsrc[i] = (float) (r.nextGaussian() * (r.nextInt(50) == 0 ? 10 : 1));
            MemorySegment s = MemorySegment.ofArray(new byte[(int) t.byteSize(n) + 8]).asSlice(3); // unaligned on purpose
            t.format().quantize(wsrc, 0, null, 0, n, s, 0);
            float[] x = new float[n + 5];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float ref = t.format().dot(s, 0, x, 5, n);
            float got = v.dot(s, 0, x, 5, n);
            double mag = 0;
            float[] w = new float[n];
            t.format().dequantize(s, 0, w, 0, n);
            for (int i = 0; i < n; i++) mag += Math.abs(w[i] * x[i + 5]);
            assertEquals(ref, got, 1e-5 * mag + 1e-6, t + " n=" + n);
        }
    }

    @Test
    void halfConversionIsExactForEveryBitPattern() {
        org.junit.jupiter.api.Assumptions.assumeTrue(VectorRowDots.USABLE);
        int l = VectorRowDots.L;
        short[] h = new short[l];
        float[] out = new float[l];
        for (int base = 0; base < 65536; base += l) {
            for (int j = 0; j < l; j++) h[j] = (short) (base + j);
            VectorRowDots.halfToFloat(jdk.incubator.vector.ShortVector.fromArray(VectorRowDots.S, h, 0)).intoArray(out, 0);
            for (int j = 0; j < l; j++) {
                float e = Float.float16ToFloat(h[j]);
                if (Float.isNaN(e)) assertTrue(Float.isNaN(out[j]), "NaN pattern " + Integer.toHexString(base + j));
                else assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(out[j]), "fp16 0x" + Integer.toHexString(base + j));
            }
        }
    }

    @Test
    void shortHalfConversionIsExactForEveryFiniteBitPatternAndFlagsTheRest() {
        org.junit.jupiter.api.Assumptions.assumeTrue(VectorRowDots.USABLE);
        int l = VectorRowDots.L;
        int[] h = new int[l];
        float[] out = new float[l];
        for (int base = 0; base < 65536; base += l) {
            for (int j = 0; j < l; j++) h[j] = (short) (base + j); // sign-extended, as the kernel widens
            VectorRowDots.halfToFloatFinite(jdk.incubator.vector.IntVector.fromArray(VectorRowDots.I, h, 0)).intoArray(out, 0);
            for (int j = 0; j < l; j++) {
                float e = Float.float16ToFloat((short) (base + j));
                if (Float.isFinite(e)) assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(out[j]), "fp16 0x" + Integer.toHexString(base + j));
                else assertTrue(Math.abs(out[j]) >= VectorRowDots.HALF_FINITE_LIMIT, "Inf/NaN 0x" + Integer.toHexString(base + j) + " not flagged: " + out[j]);
                if (Float.isFinite(e)) assertTrue(Math.abs(out[j]) < VectorRowDots.HALF_FINITE_LIMIT);
            }
        }
    }

    /** A row holding Inf or NaN weights gives what the scalar reference gives (the fast kernel redoes it exactly). */
    @Test
    void f16RowsWithInfOrNanMatchTheReference() {
        RowDot v = VectorRowDots.of(GgmlType.F16);
        org.junit.jupiter.api.Assumptions.assumeTrue(v != null);
        int n = 100;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = 0.5f + i % 3;
        for (short special : new short[] {(short) 0x7C00, (short) 0xFC00, (short) 0x7E00, (short) 0x7C01}) {
            for (int at : new int[] {0, 37, 99}) { // inside the vector part and in the scalar tail
                MemorySegment s = MemorySegment.ofArray(new byte[2 * n]);
                for (int i = 0; i < n; i++) s.set(Le.I16, 2L * i, Float.floatToFloat16(0.25f * (i % 7 - 3)));
                s.set(Le.I16, 2L * at, special);
                float ref = GgmlType.F16.format().dot(s, 0, x, 0, n), got = v.dot(s, 0, x, 0, n);
                assertEquals(Float.floatToRawIntBits(ref) == Float.floatToRawIntBits(got) || (Float.isNaN(ref) && Float.isNaN(got)), true,
                        "special 0x" + Integer.toHexString(special & 0xFFFF) + " at " + at + ": " + ref + " vs " + got);
            }
        }
    }
}
