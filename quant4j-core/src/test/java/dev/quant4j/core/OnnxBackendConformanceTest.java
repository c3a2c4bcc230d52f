package dev.quant4j.core;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.numerics.BFloat16;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.core.quant.FixedPointMultiplier;
import dev.quant4j.core.quant.Granularity;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.Quantizer;
import dev.quant4j.core.quant.Requantizer;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The ONNX project's own backend test vectors (ONNX 1.12, in the shared test data) for
 * QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear and Cast to/from FLOAT16/BFLOAT16.
 * The "_axis" models use the default axis 1.
 */
class OnnxBackendConformanceTest {

    static OnnxTensorPb tensor(String test, String file) throws IOException {
        Path dir = TestData.require("onnx-backend-tests/node/" + test + "/test_data_set_0");
        return OnnxTensorPb.read(dir.resolve(file));
    }

    static QuantParams params(OnnxTensorPb scale, OnnxTensorPb zp) {
        QuantSpec spec = QuantSpec.affine(DataType.fromOnnx(zp.dataType()));
        return scale.count() == 1 && scale.dims().length == 0
                ? QuantParams.perTensor(spec, scale.asFloats()[0], zp.asInts()[0])
                : QuantParams.perChannel(spec, 1, scale.asFloats(), zp.asInts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_quantizelinear", "test_quantizelinear_axis"})
    void quantizeLinear(String test) throws IOException {
        OnnxTensorPb x = tensor(test, "input_0.pb"), y = tensor(test, "output_0.pb");
        QuantParams p = params(tensor(test, "input_1.pb"), tensor(test, "input_2.pb"));
        assertArrayEquals(y.asInts(), Quantizer.quantize(x.asFloats(), x.dims(), p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_dequantizelinear", "test_dequantizelinear_axis"})
    void dequantizeLinear(String test) throws IOException {
        OnnxTensorPb x = tensor(test, "input_0.pb"), y = tensor(test, "output_0.pb");
        QuantParams p = params(tensor(test, "input_1.pb"), tensor(test, "input_2.pb"));
        assertArrayEquals(y.asFloats(), Quantizer.dequantize(x.asInts(), x.dims(), p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"test_dynamicquantizelinear", "test_dynamicquantizelinear_max_adjusted", "test_dynamicquantizelinear_min_adjusted"})
    void dynamicQuantizeLinearIsUint8AffineFromTheDataRange(String test) throws IOException {
        OnnxTensorPb x = tensor(test, "input_0.pb");
        QuantParams p = ParamsFromRange.fromData(QuantSpec.affine(DataType.UINT8), x.asFloats(), x.dims(), Granularity.PER_TENSOR, 0, 0);
        assertEquals(tensor(test, "output_1.pb").asFloats()[0], p.scale(0), 0f, "scale, to the bit");
        assertEquals(tensor(test, "output_2.pb").asInts()[0], p.zeroPoint(0), "zero-point");
        assertArrayEquals(tensor(test, "output_0.pb").asInts(), Quantizer.quantize(x.asFloats(), x.dims(), p));
    }

    @Test
    void castFloatToFloat16AndBack() throws IOException {
        float[] x = tensor("test_cast_FLOAT_to_FLOAT16", "input_0.pb").asFloats();
        int[] want = tensor("test_cast_FLOAT_to_FLOAT16", "output_0.pb").asInts();
        for (int i = 0; i < x.length; i++) assertEquals(want[i], Float16.fromFloat(x[i]) & 0xFFFF, "element " + i);
        int[] h = tensor("test_cast_FLOAT16_to_FLOAT", "input_0.pb").asInts();
        float[] f = tensor("test_cast_FLOAT16_to_FLOAT", "output_0.pb").asFloats();
        for (int i = 0; i < h.length; i++) assertEquals(f[i], Float16.toFloat((short) h[i]), "element " + i);
    }

    @Test
    void castBFloat16() throws IOException {
        int[] b = tensor("test_cast_BFLOAT16_to_FLOAT", "input_0.pb").asInts();
        float[] f = tensor("test_cast_BFLOAT16_to_FLOAT", "output_0.pb").asFloats();
        for (int i = 0; i < b.length; i++) assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(BFloat16.toFloat((short) b[i])), "element " + i);
        // ONNX 1.12 made these vectors by truncating the float (later ONNX versions specify
        // round-to-nearest-even, which quant4j implements). So each expected code must equal ours
        // where the dropped half is below 0x8000, and be one less where rounding carried.
        float[] x = tensor("test_cast_FLOAT_to_BFLOAT16", "input_0.pb").asFloats();
        int[] want = tensor("test_cast_FLOAT_to_BFLOAT16", "output_0.pb").asInts();
        int carried = 0;
        for (int i = 0; i < x.length; i++) {
            int got = BFloat16.fromFloat(x[i]) & 0xFFFF;
            if (Float.isNaN(x[i])) { assertTrue(Float.isNaN(BFloat16.toFloat((short) want[i]))); continue; }
            int low = Float.floatToRawIntBits(x[i]) & 0xFFFF;
            boolean roundsUp = low > 0x8000 || (low == 0x8000 && (want[i] & 1) == 1);
            assertEquals(want[i] + (roundsUp ? 1 : 0), got, "element " + i + " = " + x[i]);
            if (roundsUp) carried++;
        }
        assertTrue(carried > 0, "the vectors exercise rounding up");
    }

    /**
     * QLinearMatMul and QLinearConv vectors (made by ONNX with float arithmetic): the int32
     * accumulator (computed here by plain loops) requantized with the fixed-point multiplier must
     * give the expected uint8 outputs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"test_qlinearmatmul_2D", "test_qlinearmatmul_3D", "test_qlinearconv"})
    void requantizationReproducesQLinearOperators(String test) throws IOException {
        int[] a = tensor(test, "input_0.pb").asInts(), b = tensor(test, "input_3.pb").asInts();
        long[] ad = tensor(test, "input_0.pb").dims(), bd = tensor(test, "input_3.pb").dims();
        float sa = tensor(test, "input_1.pb").asFloats()[0], sb = tensor(test, "input_4.pb").asFloats()[0], sy = tensor(test, "input_6.pb").asFloats()[0];
        int za = tensor(test, "input_2.pb").asInts()[0], zb = tensor(test, "input_5.pb").asInts()[0], zy = tensor(test, "input_7.pb").asInts()[0];
        int[] want = tensor(test, "output_0.pb").asInts();
        int[] acc;
        if (test.equals("test_qlinearconv")) {
            // a 1x1 kernel with one input and one output channel: y = (x - za)(w - zb)
            assertEquals(1, b.length);
            acc = new int[a.length];
            for (int i = 0; i < a.length; i++) acc[i] = (a[i] - za) * (b[0] - zb);
        } else {
            int rank = ad.length, m = (int) ad[rank - 2], k = (int) ad[rank - 1], n = (int) bd[rank - 1];
            int batches = a.length / (m * k);
            acc = new int[batches * m * n];
            for (int bt = 0; bt < batches; bt++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int sum = 0;
                        for (int t = 0; t < k; t++) sum += (a[(bt * m + i) * k + t] - za) * (b[(bt * k + t) * n + j] - zb);
                        acc[(bt * m + i) * n + j] = sum;
                    }
                }
            }
        }
        FixedPointMultiplier f = FixedPointMultiplier.of(Requantizer.realMultiplier(sa, sb, sy));
        QuantSpec u8 = QuantSpec.affine(DataType.UINT8);
        for (int i = 0; i < acc.length; i++) {
            assertEquals(want[i], Requantizer.requantize(acc[i], f, zy, u8), "element " + i + " acc " + acc[i]);
        }
    }
}
