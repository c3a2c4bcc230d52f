package dev.quant4j.runtime.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Static QDQ patterns on small models with random weights: the fused session against the same
 * model unfused (float compute between Q/DQ) and against ONNX Runtime, which fuses the same
 * patterns into QLinearConv/QLinearMatMul/QLinearAdd. Outputs are dequantized codes, so every
 * difference is a whole number of output steps.
 */
class QdqFusionTest {
    private final Random rnd = new Random(20261127);

    /**
     * Random weight codes in −63..63: ONNX Runtime's u8·s8 kernels on x86 without VNNI sum pairs of
     * products in saturating 16 bits (255·127·2 overflows), so only 7-bit weights are exact there.
     */
    private Tensor codes(DataType t, long... shape) {
        int n = (int) Tensor.elementCount(shape);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (rnd.nextInt(127) - 63);
        return Tensor.ofBytes(t, b, shape);
    }

    private float[] scales(int n, float base) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = base * (0.5f + rnd.nextFloat());
        return s;
    }

    private Tensor input(long... shape) {
        float[] x = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 0.8);
        return Tensor.of(x, shape);
    }

    /** The conv stack of a MobileNet/BlazeFace block: conv+relu, depthwise conv, residual add+relu. */
    private Model convBlock(DataType act) {
        QdqGraph q = new QdqGraph("x", new long[] {1, 8, 14, 14}, 13);
        int zp = act == DataType.UINT8 ? 128 : 0;
        float xs = 0.025f;
        String x = q.qdq("x", xs, zp, act);
        float[] ws1 = scales(16, 0.004f);
        String w1 = q.dq(codes(DataType.INT8, 16, 8, 3, 3), Tensor.of(ws1, 16), 0);
        String b1 = q.dq(biasCodes(16), product(xs, ws1), 0);
        Attributes conv = new Attributes().put("pads", 1L, 1L, 1L, 1L).put("kernel_shape", 3L, 3L);
        String y1 = q.node("Relu", List.of(q.node("Conv", List.of(x, w1, b1), conv)), null);
        float ys1 = 0.03f;
        String y1q = q.qdq(y1, ys1, act == DataType.UINT8 ? 0 : -128, act);
        float[] ws2 = scales(16, 0.01f);
        String w2 = q.dq(codes(DataType.INT8, 16, 1, 3, 3), Tensor.of(ws2, 16), 0);
        String b2 = q.dq(biasCodes(16), product(ys1, ws2), 0);
        String y2 = q.node("Conv", List.of(y1q, w2, b2), conv.copy().put("group", 16L));
        String y2q = q.qdq(y2, 0.04f, zp, act);
        String sum = q.node("Relu", List.of(q.node("Add", List.of(y1q, y2q), null)), null);
        return q.model(q.qdq(sum, 0.05f, act == DataType.UINT8 ? 0 : -128, act));
    }

    private Tensor biasCodes(int n) {
        int[] b = new int[n];
        for (int i = 0; i < n; i++) b[i] = rnd.nextInt(4001) - 2000;
        return Tensor.ofInts(b, n);
    }

    private static Tensor product(float xs, float[] ws) {
        float[] s = new float[ws.length];
        for (int i = 0; i < s.length; i++) s[i] = xs * ws[i];
        return Tensor.of(s, s.length);
    }

    /** Gemm (transB, per-channel weight, int32 bias) then MatMul with no Q after it (float output). */
    private Model gemmMatMul() {
        QdqGraph q = new QdqGraph("x", new long[] {6, 32}, 13);
        float xs = 0.02f;
        String x = q.qdq("x", xs, 128, DataType.UINT8);
        float[] ws = scales(24, 0.005f);
        String w = q.dq(codes(DataType.INT8, 24, 32), Tensor.of(ws, 24), Tensor.ofBytes(DataType.INT8, new byte[24], 24), 0);
        String b = q.dq(biasCodes(24), product(xs, ws), 0);
        String y = q.node("Gemm", List.of(x, w, b), new Attributes().put("transB", 1L));
        String yq = q.qdq(y, 0.06f, 120, DataType.UINT8);
        String w2 = q.dq(codes(DataType.INT8, 24, 10), Tensor.scalar(0.01f), null);
        return q.model(q.node("MatMul", List.of(yq, w2), null));
    }

    @Test
    void convBlockFusesEveryPatternAndAgreesWithOrtToTheCode() throws Exception {
        for (DataType act : List.of(DataType.UINT8, DataType.INT8)) {
            Model m = convBlock(act);
            QdqFusion.Result r = QdqFusion.apply(m.graph(), 13);
            assertEquals(2, r.count("QdqConv"), r.fused().toString());
            assertEquals(1, r.count("QdqAdd"), r.fused().toString());
            Tensor x = input(1, 8, 14, 14);
            float[] fused = QdqGraph.run(m, true, Map.of("x", x)), plain = QdqGraph.run(m, false, Map.of("x", x));
            float[] ort = QdqGraph.runOrt(m, "x", x);
            Steps vsOrt = Steps.of(fused, ort, 0.05f), vsPlain = Steps.of(fused, plain, 0.05f);
            System.out.printf("conv block %s: fused vs ORT %s; fused vs unfused %s%n", act, vsOrt, vsPlain);
            assertEquals(0, vsOrt.max(), "fused vs ONNX Runtime: " + vsOrt);
            assertTrue(vsPlain.max() <= 2, "fused vs unfused: " + vsPlain);
        }
    }

    @Test
    void gemmAndFloatOutputMatMul() throws Exception {
        Model m = gemmMatMul();
        QdqFusion.Result r = QdqFusion.apply(m.graph(), 13);
        assertEquals(1, r.count("QdqGemm"), r.fused().toString());
        assertEquals(1, r.count("QdqMatMul"), r.fused().toString());
        Tensor x = input(6, 32);
        float[] fused = QdqGraph.run(m, true, Map.of("x", x)), plain = QdqGraph.run(m, false, Map.of("x", x));
        float[] ort = QdqGraph.runOrt(m, "x", x);
        double max = 0, errOrt = 0, errPlain = 0;
        for (int i = 0; i < fused.length; i++) {
            max = Math.max(max, Math.abs(ort[i]));
            errOrt = Math.max(errOrt, Math.abs(fused[i] - ort[i]));
            errPlain = Math.max(errPlain, Math.abs(fused[i] - plain[i]));
        }
        System.out.printf("gemm+matmul: max |fused − ORT| %.3g, |fused − unfused| %.3g, max |y| %.3g%n", errOrt, errPlain, max);
        // The float MatMul at the end differs by summation order only: integer sums are exact.
        assertTrue(errOrt <= 1e-5 * max, "vs ORT " + errOrt);
        assertTrue(errPlain <= 1e-5 * max, "vs unfused " + errPlain);
    }

    /** DQ(x) + a float constant (a bias left in float), Relu, Q: QdqAddConst does the same float operations. */
    @Test
    void addOfAConstantIsExact() throws Exception {
        QdqGraph q = new QdqGraph("x", new long[] {5, 32}, 13);
        String x = q.qdq("x", 0.02f, 128, DataType.UINT8);
        float[] c = new float[32];
        for (int i = 0; i < c.length; i++) c[i] = (float) rnd.nextGaussian();
        String sum = q.node("Relu", List.of(q.node("Add", List.of(q.constant("c", Tensor.of(c, 32)), x), null)), null);
        Model m = q.model(q.qdq(sum, 0.03f, 0, DataType.UINT8));
        assertEquals(1, QdqFusion.apply(m.graph(), 13).count("QdqAddConst"));
        Tensor in = input(5, 32);
        float[] fused = QdqGraph.run(m, true, Map.of("x", in)), plain = QdqGraph.run(m, false, Map.of("x", in));
        float[] ort = QdqGraph.runOrt(m, "x", in);
        assertEquals(0, Steps.of(fused, plain, 0.03f).max(), "vs unfused");
        assertEquals(0, Steps.of(fused, ort, 0.03f).max(), "vs ONNX Runtime");
    }

    /** Differences between two dequantized outputs, in output steps. */
    record Steps(int max, int differing, int total) {
        static Steps of(float[] a, float[] b, float step) {
            int max = 0, diff = 0;
            for (int i = 0; i < a.length; i++) {
                int d = Math.round(Math.abs(a[i] - b[i]) / step);
                if (d != 0) diff++;
                max = Math.max(max, d);
            }
            return new Steps(max, diff, a.length);
        }

        @Override public String toString() { return "max " + max + " steps, " + differing + "/" + total + " codes differ"; }
    }
}
