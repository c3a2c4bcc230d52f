package dev.quant4j.core.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import org.junit.jupiter.api.Test;

/** Hand-worked examples with exact expected values. */
class QuantizerExampleTest {

    @Test
    void onnxQuantizeLinearExample() {
        // The example of the ONNX QuantizeLinear test (uint8, scale 2, zero-point 128).
        float[] x = {0, 2, 3, 1000, -254, -1000};
        int[] q = Quantizer.quantize(x, new int[] {6}, QuantParams.perTensor(QuantSpec.affine(DataType.UINT8), 2f, 128));
        assertArrayEquals(new int[] {128, 129, 130, 255, 1, 0}, q);
    }

    @Test
    void roundsHalfToEven() {
        QuantParams p = QuantParams.perTensor(QuantSpec.affine(DataType.INT8), 1f, 0);
        assertArrayEquals(new int[] {0, 2, 2, -2, -2, 0}, Quantizer.quantize(new float[] {0.5f, 1.5f, 2.5f, -1.5f, -2.5f, -0.5f}, new int[] {6}, p));
    }

    @Test
    void perChannelAlongAnyAxis() {
        // shape [2, 3], axis 1: column c uses scale c+1.
        QuantParams p = QuantParams.perChannel(QuantSpec.symmetric(DataType.INT8), 1, new float[] {1, 2, 3}, null);
        float[] x = {3, 4, 9, -3, -4, -9};
        assertArrayEquals(new int[] {3, 2, 3, -3, -2, -3}, Quantizer.quantize(x, new int[] {2, 3}, p));
        // axis 0: row r uses scale r+1
        QuantParams p0 = QuantParams.perChannel(QuantSpec.symmetric(DataType.INT8), 0, new float[] {1, 2}, null);
        assertArrayEquals(new int[] {3, 4, 9, -2, -2, -4}, Quantizer.quantize(x, new int[] {2, 3}, p0));
    }

    @Test
    void perBlockFollowsOnnxBlockedLayout() {
        // x shape [2, 4], axis 1, block 2 -> scale shape [2, 2]: scale[r][b] for x[r][2b..2b+1].
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        QuantParams p = QuantParams.perBlock(QuantSpec.affine(DataType.INT8), 1, 2, new float[] {1, 2, 4, 8}, new int[] {0, 1, 2, 3});
        assertArrayEquals(new int[] {1, 2, 3, 3, 3, 4, 4, 4}, Quantizer.quantize(x, new int[] {2, 4}, p));
        // axis 0, block 2 on shape [4, 2] -> scale shape [2, 2]: scale[r/2][c].
        QuantParams p0 = QuantParams.perBlock(QuantSpec.affine(DataType.INT8), 0, 2, new float[] {1, 2, 4, 8}, null);
        assertArrayEquals(new int[] {1, 1, 3, 2, 1, 1, 2, 1}, Quantizer.quantize(x, new int[] {4, 2}, p0));
    }

    @Test
    void narrowAndReducedRangeClamp() {
        float[] x = {-1000, 1000};
        assertArrayEquals(new int[] {-127, 127}, Quantizer.quantize(x, new int[] {2},
                QuantParams.perTensor(QuantSpec.symmetric(DataType.INT8).withNarrowRange(), 1f, 0)));
        assertArrayEquals(new int[] {-64, 63}, Quantizer.quantize(x, new int[] {2},
                QuantParams.perTensor(QuantSpec.affine(DataType.INT8).withReducedRange(), 1f, 0)));
        assertArrayEquals(new int[] {0, 127}, Quantizer.quantize(x, new int[] {2},
                QuantParams.perTensor(QuantSpec.affine(DataType.UINT8).withReducedRange(), 1f, 0)));
    }

    @Test
    void infinitySaturatesAndNanIsRejected() {
        QuantParams p = QuantParams.perTensor(QuantSpec.affine(DataType.INT4), 0.5f, 0);
        assertArrayEquals(new int[] {7, -8}, Quantizer.quantize(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, new int[] {2}, p));
        var e = assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(new float[] {1, Float.NaN}, new int[] {2}, p));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    }

    @Test
    void dequantizeAndFakeQuantize() {
        QuantParams p = QuantParams.perTensor(QuantSpec.affine(DataType.UINT8), 0.5f, 10);
        assertArrayEquals(new float[] {-5f, 0f, 122.5f}, Quantizer.dequantize(new int[] {0, 10, 255}, new int[] {3}, p));
        assertArrayEquals(new float[] {1.0f, -5f, 0f}, Quantizer.fakeQuantize(new float[] {1.2f, -100f, 0.2f}, new int[] {3}, p));
    }

    @Test
    void paramsFromRangeMatchTheFormulas() {
        // affine uint8 over [-1, 3]: scale 4/255, zp = rint(0 + 1/scale) = rint(63.75) = 64
        var a = ParamsFromRange.choose(QuantSpec.affine(DataType.UINT8), -1, 3);
        assertEquals((float) (4.0 / 255), a.scale());
        assertEquals(64, a.zeroPoint());
        // range widened to include 0: [2, 5] -> [0, 5], zp 0 for uint8, -128 for int8
        assertEquals(0, ParamsFromRange.choose(QuantSpec.affine(DataType.UINT8), 2, 5).zeroPoint());
        assertEquals(-128, ParamsFromRange.choose(QuantSpec.affine(DataType.INT8), 2, 5).zeroPoint());
        // symmetric: int8 scale 2a/255, zp 0; uint8 zp 128; uint4 zp 8; narrow int8 a/127
        assertEquals((float) (6.0 / 255), ParamsFromRange.choose(QuantSpec.symmetric(DataType.INT8), -3, 1).scale());
        assertEquals(0, ParamsFromRange.choose(QuantSpec.symmetric(DataType.INT8), -3, 1).zeroPoint());
        assertEquals(128, ParamsFromRange.choose(QuantSpec.symmetric(DataType.UINT8), -3, 1).zeroPoint());
        assertEquals(8, ParamsFromRange.choose(QuantSpec.symmetric(DataType.UINT4), -3, 1).zeroPoint());
        assertEquals((float) (3.0 / 127), ParamsFromRange.choose(QuantSpec.symmetric(DataType.INT8).withNarrowRange(), -3, 1).scale());
        // zero-width range
        assertEquals(1f, ParamsFromRange.choose(QuantSpec.affine(DataType.INT8), 0, 0).scale());
    }

    @Test
    void invalidParametersGiveClearErrors() {
        QuantSpec s8 = QuantSpec.affine(DataType.INT8);
        assertMessage("scale[0] = 0.0", () -> QuantParams.perTensor(s8, 0f, 0));
        assertMessage("scale[0] = -1.0", () -> QuantParams.perTensor(s8, -1f, 0));
        assertMessage("scale[0] = NaN", () -> QuantParams.perTensor(s8, Float.NaN, 0));
        assertMessage("scale[0] = Infinity", () -> QuantParams.perTensor(s8, Float.POSITIVE_INFINITY, 0));
        assertMessage("zero-point[0] = 128 is outside INT8", () -> QuantParams.perTensor(s8, 1f, 128));
        assertMessage("zero-point[0] = -1 is outside UINT8", () -> QuantParams.perTensor(QuantSpec.affine(DataType.UINT8), 1f, -1));
        assertMessage("zero-point[0] = 16 is outside UINT4", () -> QuantParams.perTensor(QuantSpec.affine(DataType.UINT4), 1f, 16));
        assertMessage("symmetric scheme", () -> QuantParams.perTensor(QuantSpec.symmetric(DataType.INT8), 1f, 3));
        QuantParams blocked = QuantParams.perBlock(s8, 1, 3, new float[] {1, 1}, null);
        assertMessage("block size 3 does not divide axis 1 of length 4",
                () -> Quantizer.quantize(new float[8], new int[] {2, 4}, blocked));
        QuantParams ch = QuantParams.perChannel(s8, 1, new float[] {1, 1, 1}, null);
        assertMessage("3 channels", () -> Quantizer.quantize(new float[8], new int[] {2, 4}, ch));
        assertMessage("axis 2 is out of range for rank 2",
                () -> Quantizer.quantize(new float[8], new int[] {2, 4}, QuantParams.perChannel(s8, 2, new float[] {1}, null)));
        assertMessage("input has 7 elements", () -> Quantizer.quantize(new float[7], new int[] {2, 4}, QuantParams.perTensor(s8, 1f, 0)));
        assertMessage("cannot quantize to FLOAT32", () -> QuantSpec.affine(DataType.FLOAT32));
    }

    static void assertMessage(String part, org.junit.jupiter.api.function.Executable ex) {
        var e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    @Test
    void float8QuantizationKeepsRelativeErrorAndSaturates() {
        QuantSpec spec = QuantSpec.symmetric(DataType.FLOAT8E4M3FN);
        QuantParams p = ParamsFromRange.perTensor(spec, -3, 7);
        assertEquals(7f / 448, p.scale(0));
        float[] x = new float[2001];
        for (int i = 0; i < x.length; i++) x[i] = (i - 1000) * 0.007f;
        long[] shape = {x.length};
        float[] fq = dev.quant4j.core.quant.Float8Quantizer.fakeQuantize(x, shape, p, true);
        for (int i = 0; i < x.length; i++) {
            // 3 mantissa bits: half an ulp is at most 2^-4 of the value; below 2^-6 (subnormals) the
            // spacing is fixed at 2^-9 scale units, so the error is at most half of that.
            double bound = Math.max(Math.abs(x[i]) * 0x1p-4, p.scale(0) * 0x1p-10);
            assertTrue(Math.abs(x[i] - fq[i]) <= bound * (1 + 1e-6), "x=" + x[i] + " fq=" + fq[i]);
        }
        float[] big = dev.quant4j.core.quant.Float8Quantizer.fakeQuantize(new float[] {100f, -100f}, new long[] {2}, p, true);
        assertArrayEquals(new float[] {7f, -7f}, big, 1e-6f);
        float[] nan = dev.quant4j.core.quant.Float8Quantizer.fakeQuantize(new float[] {100f}, new long[] {1}, p, false);
        assertTrue(Float.isNaN(nan[0]), "E4M3FN without saturation: overflow is NaN");
        assertMessage("symmetric", () -> QuantSpec.affine(DataType.FLOAT8E5M2));
        assertMessage("zero-point[0] = 1", () -> QuantParams.perTensor(spec, 1f, 1));
        assertMessage("use Float8Quantizer", () -> Quantizer.quantize(x, shape, p));
        assertThrows(IllegalStateException.class, spec::qmin);
    }
}
