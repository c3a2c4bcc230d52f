package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.runtime.OpException;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The quantization operators on what the ONNX backend tests do not cover: blocked and 4/16-bit
 * Q/DQ (opset 21), float8, large batched integer products with per-column zero-points and two
 * threads, grouped strided QLinearConv with per-channel weights, MatMulNBits and
 * DynamicQuantizeMatMul. References are plain loops written here from the operator definitions
 * (integer accumulation in long, requantization in float as the spec's reference does).
 */
class QuantOpsTest {
    private final Random rnd = new Random(42);

    /** A one-node model; {@code in} maps input names (in order; "" for omitted) to tensors, constants when named c:*. */
    private static List<Tensor> run(String domain, String op, long opset, Attributes attrs, Map<String, Tensor> in, int outputs, int threads) {
        Graph g = new Graph("t");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            String n = e.getKey();
            if (e.getValue() == null) { names.add(""); continue; }
            names.add(n);
            if (n.startsWith("c:")) g.initializers().put(n, e.getValue());
            else { feeds.put(n, e.getValue()); g.inputs().add(ValueInfo.tensor(n, e.getValue().dtype(), e.getValue().shape())); }
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) { outs.add("y" + i); g.outputs().add(new ValueInfo("y" + i, new ValueType.TensorType(DataType.FLOAT32, null))); }
        g.addNode(new Node("n", op, domain, names, outs, attrs));
        Model m = new Model(g);
        m.opsets().put("", opset);
        if (!domain.isEmpty()) m.opsets().put(domain, 1L);
        try (Session s = Session.create(m, SessionOptions.threads(threads))) {
            return new ArrayList<>(s.run(feeds).values());
        }
    }

    private static Map<String, Tensor> inputs(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Tensor) kv[i + 1]);
        return m;
    }

    private float[] randoms(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (rnd.nextFloat() * 2 - 1) * scale;
        return v;
    }

    private static int quantRef(float x, float s, int z, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, Math.rint(x / s) + z));
    }

    @Test
    void blockedInt4QuantizeAndDequantizeOpset21() {
        int rows = 6, cols = 64, block = 16, blocks = cols / block;
        float[] x = randoms(rows * cols, 3f), s = new float[rows * blocks];
        int[] z = new int[rows * blocks];
        for (int i = 0; i < s.length; i++) { s[i] = 0.05f + rnd.nextFloat() * 0.3f; z[i] = rnd.nextInt(16) - 8; }
        Tensor zp = QuantOps.codes(DataType.INT4, z, new long[] {rows, blocks});
        Attributes a = new Attributes();
        a.put("axis", 1L);
        a.put("block_size", (long) block);
        Tensor q = run("", "QuantizeLinear", 21, a, inputs("x", Tensor.of(x, rows, cols), "c:s", Tensor.of(s, rows, blocks), "c:z", zp), 1, 1).get(0);
        assertEquals(DataType.INT4, q.dtype());
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                int k = r * blocks + c / block;
                assertEquals(quantRef(x[r * cols + c], s[k], z[k], -8, 7), q.getLong(r * cols + c), "code at " + r + "," + c);
            }
        Tensor y = run("", "DequantizeLinear", 21, a, inputs("q", q, "c:s", Tensor.of(s, rows, blocks), "c:z", zp), 1, 1).get(0);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                int k = r * blocks + c / block;
                assertEquals((float) ((q.getLong(r * cols + c) - z[k]) * (double) s[k]), y.floats()[r * cols + c], 1e-6f * s[k] * 16);
            }
    }

    @Test
    void perAxisUint16AndInt16() {
        int n = 3, c = 5, hw = 7;
        float[] x = randoms(n * c * hw, 1000f), s = new float[c];
        for (int i = 0; i < c; i++) s[i] = 0.01f * (i + 1);
        for (DataType t : new DataType[] {DataType.UINT16, DataType.INT16}) {
            int[] z = new int[c];
            for (int i = 0; i < c; i++) z[i] = t == DataType.UINT16 ? 30000 + i : -100 * i;
            Attributes a = new Attributes();
            a.put("axis", 1L);
            Tensor q = run("", "QuantizeLinear", 21, a, inputs("x", Tensor.of(x, n, c, hw), "c:s", Tensor.of(s, c), "c:z", QuantOps.codes(t, z, new long[] {c})), 1, 2).get(0);
            assertEquals(t, q.dtype());
            for (int i = 0; i < x.length; i++) {
                int ch = (i / hw) % c;
                assertEquals(quantRef(x[i], s[ch], z[ch], (int) t.minValue(), (int) t.maxValue()), q.getLong(i), t + " element " + i);
            }
        }
    }

    @Test
    void float8RoundTripSaturates() {
        float[] x = {0f, 1f, -2.5f, 1000f, -1e6f, 0.013f};
        Attributes a = new Attributes();
        Tensor zp = Tensor.wrap(DataType.FLOAT8E4M3FN, MemorySegment.ofArray(new byte[1]));
        Tensor q = run("", "QuantizeLinear", 19, a, inputs("x", Tensor.of(x, 6), "c:s", Tensor.of(new float[] {2f}), "c:z", zp), 1, 1).get(0);
        Tensor y = run("", "DequantizeLinear", 19, a, inputs("q", q, "c:s", Tensor.of(new float[] {2f}), "c:z", zp), 1, 1).get(0);
        // E4M3FN: 448 is the largest value; 0.0065 is below the smallest normal 2^-6, where the step is
        // 2^-9: 0.0065 / 2^-9 = 3.33 rounds to 3, i.e. 0.005859375.
        assertArrayEquals(new float[] {0f, 1f, -2.5f, 896f, -896f, 2f * 0.005859375f}, y.floats());
    }

    @Test
    void scaleOfWrongShapeNamesTheNode() {
        Attributes a = new Attributes();
        OpException e = assertThrows(OpException.class, () -> run("", "QuantizeLinear", 13, a,
                inputs("x", Tensor.of(new float[6], 2, 3), "c:s", Tensor.of(new float[] {1f, 1f}, 2)), 1, 1));
        assertEquals(true, e.getMessage().contains("node 'n' (QuantizeLinear)") && e.getMessage().contains("2 channels"), e.getMessage());
    }

    /** acc[b][i][j] = Σ (a − za)(b − zb[j]) in long. */
    private static long[] matmulRef(byte[] a, boolean au, int za, byte[] b, boolean bu, int[] zb, int batch, int m, int k, int n) {
        long[] acc = new long[batch * m * n];
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    long s = 0;
                    for (int p = 0; p < k; p++) {
                        int av = au ? a[(t * m + i) * k + p] & 0xFF : a[(t * m + i) * k + p];
                        int bv = bu ? b[p * n + j] & 0xFF : b[p * n + j];
                        s += (long) (av - za) * (bv - zb[zb.length == 1 ? 0 : j]);
                    }
                    acc[(t * m + i) * n + j] = s;
                }
        return acc;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void matMulIntegerBatchedLargeTwoThreadsConstantAndFedB() {
        int batch = 3, m = 37, k = 129, n = 67;
        byte[] a = bytes(batch * m * k), b = bytes(k * n), zb = bytes(n);
        int[] zbI = new int[n];
        for (int j = 0; j < n; j++) zbI[j] = zb[j] & 0xFF;
        for (boolean constB : new boolean[] {true, false})
            for (boolean signedA : new boolean[] {false, true}) {
                DataType at = signedA ? DataType.INT8 : DataType.UINT8;
                Tensor za = Tensors(at, new byte[] {(byte) 7});
                Tensor out = run("", "MatMulInteger", 10, new Attributes(), inputs("a", Tensor.ofBytes(at, a, batch, m, k),
                        constB ? "c:b" : "b", Tensor.ofBytes(DataType.UINT8, b, k, n), "c:za", za, "c:zb", Tensor.ofBytes(DataType.UINT8, zb, n)), 1, 2).get(0);
                long[] ref = matmulRef(a, !signedA, 7, b, true, zbI, batch, m, k, n);
                assertArrayEquals(new long[] {batch, m, n}, out.shape());
                assertArrayEquals(ref, out.toLongs(), "const B " + constB + ", signed A " + signedA);
            }
    }

    private static Tensor Tensors(DataType t, byte[] v, long... shape) { return Tensor.ofBytes(t, v, shape); }

    @Test
    void qLinearMatMulPerColumnInt8() {
        int m = 19, k = 45, n = 33;
        byte[] a = bytes(m * k), b = bytes(k * n);
        float as = 0.02f, ys = 0.7f;
        float[] bs = new float[n];
        for (int j = 0; j < n; j++) bs[j] = 0.005f + 0.001f * j;
        Tensor y = run("", "QLinearMatMul", 21, new Attributes(), inputs("a", Tensor.ofBytes(DataType.UINT8, a, m, k),
                "c:as", Tensor.of(new float[] {as}), "c:az", Tensors(DataType.UINT8, new byte[] {(byte) 128}),
                "c:b", Tensor.ofBytes(DataType.INT8, b, k, n), "c:bs", Tensor.of(bs, n), "c:bz", Tensors(DataType.INT8, new byte[n], n),
                "c:ys", Tensor.of(new float[] {ys}), "c:yz", Tensors(DataType.INT8, new byte[] {-3})), 1, 2).get(0);
        long[] acc = matmulRef(a, true, 128, b, false, new int[n], 1, m, k, n);
        assertEquals(DataType.INT8, y.dtype());
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float mul = as * bs[j] / ys;
                long want = Math.max(-128, Math.min(127, (long) Math.rint((float) acc[i * n + j] * mul) - 3));
                assertEquals(want, y.getLong(i * n + j), "y at " + i + "," + j);
            }
    }

    @Test
    void qLinearConvGroupedStridedPaddedPerChannel() {
        int n = 2, c = 6, h = 11, w = 9, m = 4, group = 2, kh = 3, kw = 2, cg = c / group, mg = m / group;
        int sh = 2, sw = 1, ph = 1, pw = 1;
        byte[] x = bytes(n * c * h * w), wt = bytes(m * cg * kh * kw);
        float xs = 0.03f, ys = 0.4f;
        float[] ws = {0.01f, 0.02f, 0.015f, 0.03f};
        int[] bias = {100, -250, 0, 4000};
        int xz = 120;
        Attributes a = new Attributes();
        a.put("group", (long) group);
        a.put("strides", new long[] {sh, sw});
        a.put("pads", new long[] {ph, pw, ph, pw});
        a.put("kernel_shape", new long[] {kh, kw});
        Tensor y = run("", "QLinearConv", 10, a, inputs("x", Tensor.ofBytes(DataType.UINT8, x, n, c, h, w),
                "c:xs", Tensor.of(new float[] {xs}), "c:xz", Tensors(DataType.UINT8, new byte[] {(byte) xz}),
                "c:w", Tensor.ofBytes(DataType.INT8, wt, m, cg, kh, kw), "c:ws", Tensor.of(ws, m), "c:wz", Tensors(DataType.INT8, new byte[m], m),
                "c:ys", Tensor.of(new float[] {ys}), "c:yz", Tensors(DataType.UINT8, new byte[] {(byte) 130}), "c:bias", Tensor.ofInts(bias, m)), 1, 2).get(0);
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
        assertArrayEquals(new long[] {n, m, oh, ow}, y.shape());
        for (int b = 0; b < n; b++)
            for (int o = 0; o < m; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        long acc = bias[o];
                        int g = o / mg;
                        for (int ci = 0; ci < cg; ci++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++) {
                                    int yi = i * sh - ph + u, xi = j * sw - pw + v;
                                    if (yi < 0 || yi >= h || xi < 0 || xi >= w) continue;
                                    int xv = x[((b * c + g * cg + ci) * h + yi) * w + xi] & 0xFF;
                                    acc += (long) (xv - xz) * wt[((o * cg + ci) * kh + u) * kw + v];
                                }
                        float mul = xs * ws[o] / ys;
                        long want = Math.max(0, Math.min(255, (long) Math.rint((float) acc * mul) + 130));
                        assertEquals(want, y.getLong(((b * m + o) * oh + i) * ow + j), "y at " + b + "," + o + "," + i + "," + j);
                    }
    }

    @Test
    void matMulNBits4BitWithZeroPointsAnd8BitWithout() {
        int k = 80, n = 24, block = 32, blocks = (k + block - 1) / block;
        for (int bits : new int[] {4, 8})
            for (int m : new int[] {1, 5}) {
                int blob = block * bits / 8;
                byte[] codes = bytes(n * blocks * blob);
                float[] sc = new float[n * blocks];
                for (int i = 0; i < sc.length; i++) sc[i] = 0.01f + rnd.nextFloat() * 0.05f;
                int perRow = (blocks * bits + 7) / 8;
                byte[] zp = bits == 4 ? bytes(n * perRow) : null;
                float[] x = randoms(m * k, 1f);
                Attributes a = new Attributes();
                a.put("K", (long) k);
                a.put("N", (long) n);
                a.put("bits", (long) bits);
                a.put("block_size", (long) block);
                Tensor y = run("com.microsoft", "MatMulNBits", 21, a, inputs("a", Tensor.of(x, m, k),
                        "c:b", Tensor.ofBytes(DataType.UINT8, codes, n, blocks, blob), "c:s", Tensor.of(sc, n * blocks),
                        "c:z", zp == null ? null : Tensor.ofBytes(DataType.UINT8, zp, n * perRow)), 1, 2).get(0);
                for (int i = 0; i < m; i++)
                    for (int r = 0; r < n; r++) {
                        double want = 0, mag = 0;
                        for (int c = 0; c < k; c++) {
                            int blk = c / block, off = c % block;
                            int code = bits == 8 ? codes[(r * blocks + blk) * blob + off] & 0xFF
                                    : (codes[(r * blocks + blk) * blob + off / 2] >> (4 * (off & 1))) & 0xF;
                            int z = zp == null ? 1 << (bits - 1) : (zp[r * perRow + blk / 2] >> (4 * (blk & 1))) & 0xF;
                            double wv = (code - z) * (double) sc[r * blocks + blk];
                            want += wv * x[i * k + c];
                            mag += Math.abs(wv * x[i * k + c]);
                        }
                        assertEquals(want, y.floats()[i * n + r], 1e-5 * mag + 1e-6, bits + "-bit, m " + m + ", y at " + i + "," + r);
                    }
            }
    }

    @Test
    void dynamicQuantizeMatMulWithBias() {
        int m = 9, k = 50, n = 12;
        float[] x = randoms(m * k, 2f), bias = randoms(n, 1f), bs = new float[n];
        byte[] b = bytes(k * n);
        for (int j = 0; j < n; j++) bs[j] = 0.01f + 0.002f * j;
        Tensor y = run("com.microsoft", "DynamicQuantizeMatMul", 17, new Attributes(), inputs("a", Tensor.of(x, m, k),
                "c:b", Tensor.ofBytes(DataType.INT8, b, k, n), "c:bs", Tensor.of(bs, n), "", null, "c:bias", Tensor.of(bias, n)), 1, 2).get(0);
        float lo = 0, hi = 0;
        for (float v : x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        float s = (hi - lo) / 255f;
        int z = (int) Math.rint(Math.max(0f, Math.min(255f, -lo / s)));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                long acc = 0;
                for (int p = 0; p < k; p++) acc += (long) (quantRef(x[i * k + p], s, z, 0, 255) - z) * b[p * n + j];
                assertEquals((float) acc * (s * bs[j]) + bias[j], y.floats()[i * n + j], 1e-6f * Math.abs(acc * s * bs[j]) + 1e-6f);
            }
    }
}
