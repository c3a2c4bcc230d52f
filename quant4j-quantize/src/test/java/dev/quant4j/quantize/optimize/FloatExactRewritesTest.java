package dev.quant4j.quantize.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.quantize.Precision;
import dev.quant4j.quantize.PrecisionPolicy;
import dev.quant4j.quantize.QuantizationReport;
import dev.quant4j.runtime.Session;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rewrites that must leave the float model's function unchanged (SmoothQuant's folding and
 * inserted scale, BN folding, cross-layer equalization), on small graphs run by quant4j's runtime
 * before and after; plus the cases that must not fold.
 */
class FloatExactRewritesTest {
    static final Random R = new Random(11);

    static float[] random(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (R.nextGaussian() * scale);
        return a;
    }

    static float[] run(Model m, Map<String, Tensor> feeds) {
        try (Session s = Session.create(m)) { return s.run(feeds).get(m.graph().outputNames().getFirst()).floats(); }
    }

    static void assertClose(float[] a, float[] b, double rel) {
        double max = 0, diff = 0;
        for (int i = 0; i < a.length; i++) { max = Math.max(max, Math.abs(a[i])); diff = Math.max(diff, Math.abs(a[i] - b[i])); }
        assertTrue(diff <= rel * max, "max diff " + diff + " at max |value| " + max);
    }

    /** x → Mul(γ) → Add(β) = h; h → MatMul(W1) → y1; h → MatMul(W2) → y2; out = y1 + y2 (+ h when residual). */
    static Model transformerLike(boolean residual) {
        Graph g = new Graph("t");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 2, 3, 8));
        g.initializers().put("gamma", Tensor.of(random(8, 1), 8));
        g.initializers().put("beta", Tensor.of(random(8, 1), 8));
        g.initializers().put("w1", Tensor.of(random(64, 1), 8, 8));
        g.initializers().put("w2", Tensor.of(random(64, 1), 8, 8));
        g.addNode(Node.of("Mul", "ln_mul", List.of("x", "gamma"), List.of("g")));
        g.addNode(Node.of("Add", "ln_add", List.of("g", "beta"), List.of("h")));
        g.addNode(Node.of("MatMul", "mm1", List.of("h", "w1"), List.of("y1")));
        g.addNode(Node.of("MatMul", "mm2", List.of("h", "w2"), List.of("y2")));
        g.addNode(Node.of("Add", "sum", List.of("y1", "y2"), List.of(residual ? "s" : "out")));
        if (residual) g.addNode(Node.of("Add", "residual", List.of("s", "h"), List.of("out")));
        g.outputs().add(ValueInfo.tensor("out", DataType.FLOAT32, 2, 3, 8));
        Model m = new Model(g);
        m.opsets().put("", 17L);
        return m;
    }

    @Test
    void smoothQuantFoldsIntoTheAffineChainOrInsertsOneMul() {
        for (boolean residual : new boolean[] {false, true}) {
            Model m = transformerLike(residual);
            float[] x = random(48, 3);
            x[5] = 40; // an outlier channel
            Map<String, Tensor> feeds = Map.of("x", Tensor.of(x, 2, 3, 8));
            float[] before = run(m, feeds);
            PrecisionPolicy p = PrecisionPolicy.uniform(Precision.INT8_DYNAMIC);
            Map<String, float[]> maxima = SmoothQuant.calibrate(m, SmoothQuant.inputs(m, p), List.of(feeds), null);
            assertEquals(1, maxima.size(), "both MatMuls read h");
            int nodes = m.graph().nodes().size();
            QuantizationReport r = SmoothQuant.apply(m, p, maxima, 0.5);
            assertEquals(2, r.count(QuantizationReport.Outcome.QUANTIZED));
            assertClose(before, run(m, feeds), 1e-5);
            // h also feeds the residual: one Mul is inserted; otherwise nothing is added
            assertEquals(nodes + (residual ? 1 : 0), m.graph().nodes().size(), r.toJson());
            assertTrue(r.entries().getFirst().reason().contains(residual ? "inserted" : "folded into"), r.toJson());
        }
    }

    @Test
    void batchNormFoldingAndEqualizationKeepAConvChainExact() {
        Graph g = new Graph("cnn");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 2, 3, 9, 9));
        g.initializers().put("w1", Tensor.of(random(6 * 3 * 9, 1), 6, 3, 3, 3));
        g.initializers().put("scale", Tensor.of(new float[] {0.1f, 3, 1, 0.5f, 8, 1.5f}, 6));
        g.initializers().put("bias", Tensor.of(random(6, 1), 6));
        g.initializers().put("mean", Tensor.of(random(6, 1), 6));
        g.initializers().put("var", Tensor.of(new float[] {1, 2, 0.5f, 4, 1, 0.1f}, 6));
        g.initializers().put("wd", Tensor.of(random(6 * 9, 1), 6, 1, 3, 3));      // depthwise
        g.initializers().put("w3", Tensor.of(random(4 * 6, 1), 4, 6, 1, 1));      // pointwise
        g.initializers().put("b3", Tensor.of(random(4, 1), 4));
        g.addNode(new Node("c1", "Conv", "", List.of("x", "w1"), List.of("c1"), new Attributes().put("pads", new long[] {1, 1, 1, 1})));
        g.addNode(Node.of("BatchNormalization", "bn", List.of("c1", "scale", "bias", "mean", "var"), List.of("b1")));
        g.addNode(Node.of("Relu", "relu", List.of("b1"), List.of("r1")));
        g.addNode(new Node("mp", "MaxPool", "", List.of("r1"), List.of("p1"), new Attributes().put("kernel_shape", new long[] {2, 2})));
        g.addNode(new Node("dw", "Conv", "", List.of("p1", "wd"), List.of("d1"), new Attributes().put("group", 6L).put("pads", new long[] {1, 1, 1, 1})));
        g.addNode(Node.of("Conv", "pw", List.of("d1", "w3", "b3"), List.of("out")));
        g.outputs().add(ValueInfo.tensor("out", DataType.FLOAT32, 2, 4, 8, 8));
        Model m = new Model(g);
        m.opsets().put("", 17L);
        Map<String, Tensor> feeds = Map.of("x", Tensor.of(random(2 * 3 * 81, 1), 2, 3, 9, 9));
        float[] before = run(m, feeds);
        assertEquals(1, dev.quant4j.quantize.ConvBatchNormFolder.apply(m));
        assertClose(before, run(m, feeds), 1e-5);
        assertEquals(2, CrossLayerEqualization.pairs(m.graph()).size(), "c1 -> relu -> maxpool -> dw, dw -> pw");
        CrossLayerEqualization.apply(m, 4);
        assertClose(before, run(m, feeds), 1e-5);
        // after equalization (dw -> pw is the last pair of a pass), each dw output channel's range equals pw's input range
        ConvWeights d = ConvWeights.of(Constants.floatConstant(m.graph(), m.graph().node("dw").input(1)), 6);
        ConvWeights p = ConvWeights.of(Constants.floatConstant(m.graph(), m.graph().node("pw").input(1)), 1);
        for (int c = 0; c < 6; c++) {
            double rdOut = d.absMaxOfOutput(c), rp = p.absMaxOfInput(c);
            assertTrue(Math.abs(Math.log(rdOut / rp)) < 0.05, "dw/pw channel " + c + ": " + rdOut + " vs " + rp);
        }
    }

    @Test
    void aResidualBranchBlocksEqualization() {
        Graph g = new Graph("res");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 1, 2, 4, 4));
        g.initializers().put("w1", Tensor.of(random(4, 1), 2, 2, 1, 1));
        g.initializers().put("w2", Tensor.of(random(4, 1), 2, 2, 1, 1));
        g.addNode(Node.of("Conv", "a", List.of("x", "w1"), List.of("h")));
        g.addNode(Node.of("Relu", "r", List.of("h"), List.of("hr")));
        g.addNode(Node.of("Conv", "b", List.of("hr", "w2"), List.of("y")));
        g.addNode(Node.of("Add", "skip", List.of("y", "hr"), List.of("out")));
        g.outputs().add(ValueInfo.tensor("out", DataType.FLOAT32, 1, 2, 4, 4));
        assertEquals(0, CrossLayerEqualization.pairs(g).size());
    }
}
