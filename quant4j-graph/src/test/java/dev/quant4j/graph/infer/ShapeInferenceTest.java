package dev.quant4j.graph.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rules checked on cases whose answers follow from the ONNX operator specification; the broad
 * checks against ONNX Runtime and the backend tests live in quant4j-onnx.
 */
class ShapeInferenceTest {
    private static Node node(String op, List<String> in, List<String> out, Attributes a) {
        return new Node(op + "_" + out.getFirst(), op, "", in, out, a);
    }

    /** The BERT-style chain: Shape → Gather(0) → Unsqueeze → Concat(batch, -1, 64) → Reshape. */
    static Graph reshapeChain() {
        Graph g = new Graph("chain");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(8), Dim.of(768))));
        g.outputs().add(new ValueInfo("y", null));
        g.initializers().put("zero", Tensor.scalarLong(0));
        g.initializers().put("ax0", Tensor.vectorOfLongs(0));
        g.initializers().put("tail", Tensor.vectorOfLongs(-1, 64));
        g.addNode(node("Shape", List.of("x"), List.of("s"), null));
        g.addNode(node("Gather", List.of("s", "zero"), List.of("b"), new Attributes().put("axis", 0L)));
        g.addNode(node("Unsqueeze", List.of("b", "ax0"), List.of("b1"), null));
        g.addNode(node("Concat", List.of("b1", "tail"), List.of("target"), new Attributes().put("axis", 0L)));
        g.addNode(node("Reshape", List.of("x", "target"), List.of("y"), null));
        return g;
    }

    @Test
    void symbolicBatchFlowsThroughAndFoldingWaitsForKnownShapes() {
        Graph g = reshapeChain();
        InferenceResult r = ShapeInference.run(g, 13);
        // Values of shape tensors are tracked only when fully known, so only the rank follows here.
        assertEquals(Shape.unknownDims(3), r.shape("y"));
        assertNull(r.constant("target"), "batch is symbolic: the target shape is not a constant yet");
        assertEquals(new ConstantFolding.Report(0, 0), ConstantFolding.fold(g, r));
    }

    @Test
    void knownShapesFoldTheWholeChainIntoAnInitializer() {
        Graph g = reshapeChain();
        InferenceResult r = new ShapeInference(ShapeRules.defaults()).infer(g, 13, Map.of("x", Shape.of(2, 8, 768)), Map.of());
        assertEquals(Shape.of(2, 96, 64), r.shape("y"));   // 8 * 768 / 64 = 96
        assertArrayEquals(new long[] {2, -1, 64}, r.constant("target").longs());
        ConstantFolding.Report rep = ConstantFolding.fold(g, r);
        assertEquals(4, rep.folded());        // Shape, Gather, Unsqueeze, Concat: all computed
        assertEquals(0, rep.removed());
        assertTrue(!g.initializers().containsKey("s") && !g.initializers().containsKey("b1"), "intermediate values nothing reads are dropped");
        assertEquals(List.of("Reshape"), g.nodes().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {2, -1, 64}, g.initializers().get("target").longs());
        assertTrue(!g.initializers().containsKey("zero"), "unused initializers go too");
    }

    @Test
    void convPoolMatMulGemmFollowTheSpecFormulas() {
        Graph g = new Graph("nn");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 1, 3, 224, 224));
        g.initializers().put("w", Tensor.zeros(DataType.FLOAT32, 64, 3, 7, 7));
        g.initializers().put("fc", Tensor.zeros(DataType.FLOAT32, 10, 64));
        g.addNode(node("Conv", List.of("x", "w"), List.of("c"), new Attributes().put("strides", 2L, 2L).put("pads", 3L, 3L, 3L, 3L)));
        g.addNode(node("MaxPool", List.of("c"), List.of("p"), new Attributes().put("kernel_shape", 3L, 3L).put("strides", 2L, 2L).put("pads", 1L, 1L, 1L, 1L)));
        g.addNode(node("AveragePool", List.of("p"), List.of("q"), new Attributes().put("kernel_shape", 2L, 2L).put("strides", 2L, 2L).put("ceil_mode", 1L)));
        g.addNode(node("GlobalAveragePool", List.of("q"), List.of("gap"), null));
        g.addNode(node("Flatten", List.of("gap"), List.of("f"), null));
        g.addNode(node("Gemm", List.of("f", "fc"), List.of("logits"), new Attributes().put("transB", 1L)));
        g.addNode(node("Softmax", List.of("logits"), List.of("prob"), null));
        g.addNode(node("ReduceMean", List.of("c"), List.of("m"), new Attributes().put("axes", 2L, 3L).put("keepdims", 0L)));
        InferenceResult r = ShapeInference.run(g, 13);
        assertEquals(Shape.of(1, 64, 112, 112), r.shape("c"));   // floor((224 + 6 - 7) / 2) + 1
        assertEquals(Shape.of(1, 64, 56, 56), r.shape("p"));
        assertEquals(Shape.of(1, 64, 28, 28), r.shape("q"));
        assertEquals(Shape.of(1, 64, 1, 1), r.shape("gap"));
        assertEquals(Shape.of(1, 10), r.shape("prob"));
        assertEquals(Shape.of(1, 64), r.shape("m"));
    }

    @Test
    void contradictionsNameTheNodeAndUnknownOpsDoNotFail() {
        Graph g = new Graph("bad");
        g.inputs().add(ValueInfo.tensor("a", DataType.FLOAT32, 2, 3));
        g.inputs().add(ValueInfo.tensor("b", DataType.FLOAT32, 4, 5));
        g.addNode(node("MyCustomOp", List.of("a"), List.of("u"), null));
        g.addNode(node("Relu", List.of("u"), List.of("v"), null));
        g.addNode(node("MatMul", List.of("a", "b"), List.of("c"), null));
        ShapeInferenceException e = assertThrows(ShapeInferenceException.class, () -> ShapeInference.run(g, 13));
        assertTrue(e.getMessage().contains("MatMul_c") && e.getMessage().contains("inner dimensions"), e.getMessage());
        g.nodes().removeLast();
        InferenceResult r = ShapeInference.run(g, 13);
        assertNull(r.type("u"));
        assertNull(r.shape("v"));
    }

    @Test
    void typeErrorsNameTheNode() {
        Graph g = new Graph("types");
        g.inputs().add(ValueInfo.tensor("f", DataType.FLOAT32, 2));
        g.inputs().add(ValueInfo.tensor("i", DataType.INT64, 2));
        g.addNode(node("Add", List.of("f", "i"), List.of("s"), null));
        ShapeInferenceException e = assertThrows(ShapeInferenceException.class, () -> ShapeInference.run(g, 13));
        assertTrue(e.getMessage().contains("Add_s") && e.getMessage().contains("FLOAT32") && e.getMessage().contains("INT64"), e.getMessage());
        g.nodes().clear();
        g.addNode(node("Pow", List.of("f", "i"), List.of("p"), null));   // Pow has two type variables
        assertEquals(DataType.FLOAT32, ShapeInference.run(g, 13).dtype("p"));
    }

    @Test
    void squeezeAndUnsqueezeTakeAxesFromAttributeOrInputByOpset() {
        for (long opset : new long[] {11, 13}) {
            Graph g = new Graph("sq");
            g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 3, 1, 5));
            Attributes attr = new Attributes();
            List<String> sqIn = List.of("x"), unIn = List.of("s");
            if (opset < 13) {
                attr.put("axes", 1L);
            } else {
                g.initializers().put("axes", Tensor.vectorOfLongs(1));
                sqIn = List.of("x", "axes");
                unIn = List.of("s", "axes");
            }
            g.addNode(node("Squeeze", sqIn, List.of("s"), attr));
            g.addNode(node("Unsqueeze", unIn, List.of("u"), attr.copy()));
            InferenceResult r = ShapeInference.run(g, opset);
            assertEquals(Shape.of(3, 5), r.shape("s"), "opset " + opset);
            assertEquals(Shape.of(3, 1, 5), r.shape("u"), "opset " + opset);
        }
    }

    @Test
    void broadcastingKeepsSymbolsAndRejectsClashes() {
        Graph g = new Graph("bc");
        g.inputs().add(ValueInfo.tensor("a", DataType.FLOAT32, Shape.of(Dim.symbol("n"), Dim.of(1), Dim.of(4))));
        g.inputs().add(ValueInfo.tensor("b", DataType.FLOAT32, Shape.of(3, 1)));
        g.addNode(node("Add", List.of("a", "b"), List.of("c"), null));
        g.addNode(node("Equal", List.of("a", "b"), List.of("e"), null));
        InferenceResult r = ShapeInference.run(g, 13);
        assertEquals(Shape.of(Dim.symbol("n"), Dim.of(3), Dim.of(4)), r.shape("c"));
        assertEquals(DataType.BOOL, r.dtype("e"));
        g.inputs().set(1, ValueInfo.tensor("b", DataType.FLOAT32, 3, 2));
        assertThrows(ShapeInferenceException.class, () -> ShapeInference.run(g, 13));
    }

    @Test
    void newOperatorsCanBeRegistered() {
        Graph g = new Graph("custom");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 2, 6));
        g.addNode(new Node("n", "Halve", "com.example", List.of("x"), List.of("y"), null));
        ShapeRules rules = ShapeRules.defaults().register("com.example", "Halve",
                ctx -> ctx.setOutput(0, ctx.dtype(0), Shape.of(ctx.shape(0).dim(0).value(), ctx.shape(0).dim(1).value() / 2)));
        assertEquals(Shape.of(2, 3), new ShapeInference(rules).infer(g, 13, Map.of(), Map.of()).shape("y"));
    }
}
