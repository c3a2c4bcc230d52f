package dev.quant4j.runtime.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.ModelPair;
import dev.quant4j.runtime.RealInputs;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dynamic-quantization chain and the blocked weight-only form. The fused nodes do the same
 * float operations as the nodes they replace (MatMulInteger → Cast → Mul → Add becomes the same
 * int32 GEMM with the scale and bias in its epilogue), so fused and unfused outputs must be
 * bit-identical; the blocked weight differs by float summation order only.
 */
class DynamicFusionTest {
    @TempDir Path tmp;

    /**
     * ONNX Runtime's own INT8 twin of all-MiniLM-L6-v2 (36 MatMulInteger), on tokenized Brown
     * sentences: every value the fused nodes compute before the first Softmax (the embeddings Add
     * and layer 0's query, key and value projections) is bit-identical to the unfused run. Later
     * values are not compared bit for bit: Softmax's vectorized exp is not bit-reproducible between
     * two sessions (its Vector API intrinsic and its fallback round differently), and one changed
     * bit before a DynamicQuantizeLinear moves codes.
     */
    @Test
    @Tag("real-models")
    void miniLmInt8TwinFusedIsBitIdenticalToUnfused() throws Exception {
        WordPiece tok = RealInputs.miniLmTokenizer(ModelPair.resource("all-minilm-l6-v2-tokenizer.json", tmp));
        Map<String, Tensor> feeds = RealInputs.miniLm(tok, 4, 0);
        try (Model m = OnnxReader.read(ModelPair.resource(RealInputs.MINILM_Q, tmp))) {
            QdqFusion.Result r = QdqFusion.apply(m.graph(), m.onnxOpset());
            assertEquals(36, r.count("IntMatMulScaled"), r.fused().toString());
            assertEquals(1, r.count("QdqAdd"), r.fused().toString());   // word + token-type embeddings, both DequantizeLinear
            assertTrue(r.graph().nodes().stream().noneMatch(n -> n.opType().equals("MatMulInteger")), "unfused MatMulInteger left");
            java.util.Set<String> fusedOutputs = new java.util.HashSet<>();
            r.graph().nodes().stream().filter(n -> n.domain().equals(QdqFusion.DOMAIN)).forEach(n -> fusedOutputs.add(n.output(0)));
            Map<String, Tensor> fused = new java.util.HashMap<>(), plain = new java.util.HashMap<>();
            try (Session s = Session.create(m, SessionOptions.threads(1))) { s.run(feeds, keep(fused, fusedOutputs)); }
            try (Session s = Session.create(m, SessionOptions.threads(1).withFusion(false))) { s.run(feeds, keep(plain, fusedOutputs)); }
            int compared = 0;
            for (dev.quant4j.graph.Node n : m.graph().nodes()) {
                if (n.opType().equals("Softmax")) break;
                for (String o : n.outputs()) {
                    if (!fused.containsKey(o)) continue;
                    assertArrayEquals(plain.get(o).floats(), fused.get(o).floats(), o);
                    compared++;
                }
            }
            assertEquals(4, compared, "embeddings Add + query, key, value");
        }
    }

    private static dev.quant4j.runtime.ValueObserver keep(Map<String, Tensor> into, java.util.Set<String> names) {
        return new dev.quant4j.runtime.ValueObserver() {
            @Override public boolean wants(String v) { return names.contains(v); }
            @Override public void onValue(String v, dev.quant4j.graph.Node p, Tensor t) { into.put(v, t); }
        };
    }

    /** int4 and uint4 (with zero-points) blocked DequantizeLinear → MatMul, opset 21, against unfused and ONNX Runtime. */
    @Test
    void blockedInt4WeightRunsOnTheWeightOnlyKernels() throws Exception {
        Random rnd = new Random(7);
        for (DataType t : List.of(DataType.INT4, DataType.UINT4, DataType.INT8)) {
            int k = 96, n = 40, block = 32, blocks = k / block;
            for (int rows : new int[] {1, 3}) {
            QdqGraph q = new QdqGraph("x", new long[] {rows, k}, 21);
            int[] codes = new int[k * n];
            for (int i = 0; i < codes.length; i++) codes[i] = (int) (t.minValue() + rnd.nextInt((int) (t.maxValue() - t.minValue() + 1)));
            float[] sc = new float[blocks * n];
            for (int i = 0; i < sc.length; i++) sc[i] = 0.01f + rnd.nextFloat() * 0.02f;
            int[] zp = new int[blocks * n];
            for (int i = 0; i < zp.length; i++) zp[i] = t.isSigned() ? rnd.nextInt(3) - 1 : 7 + rnd.nextInt(3);
            Tensor w = Tensor.ofBytes(t, dev.quant4j.core.quant.QuantizedStorage.pack(codes, t), k, n);
            Tensor z = Tensor.ofBytes(t, dev.quant4j.core.quant.QuantizedStorage.pack(zp, t), blocks, n);
            String dq = q.dq(w, Tensor.of(sc, blocks, n), z, 0);
            q.g.nodes().getLast().attributes().put("block_size", (long) block);
            Model m = q.model(q.node("MatMul", List.of("x", dq), null));
            assertEquals(1, QdqFusion.apply(m.graph(), 21).count("BlockedMatMul"));
            {
                float[] xv = new float[rows * k];
                for (int i = 0; i < xv.length; i++) xv[i] = (float) rnd.nextGaussian();
                Tensor x = Tensor.of(xv, rows, k);
                float[] fused = QdqGraph.run(m, true, Map.of("x", x)), plain = QdqGraph.run(m, false, Map.of("x", x));
                float[] ort = QdqGraph.runOrt(m, "x", x);
                double max = 0, eOrt = 0, ePlain = 0;
                for (int i = 0; i < fused.length; i++) {
                    max = Math.max(max, Math.abs(ort[i]));
                    eOrt = Math.max(eOrt, Math.abs(fused[i] - ort[i]));
                    ePlain = Math.max(ePlain, Math.abs(fused[i] - plain[i]));
                }
                assertTrue(eOrt <= 1e-5 * max && ePlain <= 1e-5 * max, t + " rows " + rows + ": vs ORT " + eOrt + ", vs unfused " + ePlain + ", max " + max);
            }
            }
        }
    }
}
