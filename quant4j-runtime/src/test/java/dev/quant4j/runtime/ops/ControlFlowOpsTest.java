package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * If, Loop and Scan on small hand-built graphs whose bodies read a value of the enclosing graph,
 * checked against the loops written out in plain Java.
 */
class ControlFlowOpsTest {

    private static Node node(String op, List<String> in, List<String> out, Attributes a) {
        return new Node(op + out.get(0), op, "", in, out, a);
    }

    private static Model model(Graph g, long opset) {
        Model m = new Model(g);
        m.opsets().put("", opset);
        return m;
    }

    @Test
    void loopCarriesStateStacksScanOutputsAndReadsOuterValues() {
        Graph body = new Graph("body");
        body.inputs().addAll(List.of(ValueInfo.tensor("i", DataType.INT64), ValueInfo.tensor("c_in", DataType.BOOL), ValueInfo.tensor("v_in", DataType.FLOAT32, 3)));
        body.addNode(node("Add", List.of("v_in", "k"), List.of("v_out"), null));
        body.addNode(node("Identity", List.of("c_in"), List.of("c_out"), null));
        body.addNode(node("Mul", List.of("v_out", "v_out"), List.of("sq"), null));
        body.outputs().addAll(List.of(ValueInfo.tensor("c_out", DataType.BOOL), ValueInfo.tensor("v_out", DataType.FLOAT32, 3), ValueInfo.tensor("sq", DataType.FLOAT32, 3)));
        Graph g = new Graph("main");
        g.inputs().addAll(List.of(ValueInfo.tensor("M", DataType.INT64), ValueInfo.tensor("v0", DataType.FLOAT32, 3)));
        g.initializers().put("k", Tensor.of(new float[] {0.5f, -1f, 2f}, 3));
        g.addNode(node("Loop", List.of("M", "", "v0"), List.of("v", "squares"), new Attributes().put("body", body)));
        g.outputs().addAll(List.of(ValueInfo.tensor("v", DataType.FLOAT32, 3), ValueInfo.tensor("squares", DataType.FLOAT32, 4, 3)));
        float[] v0 = {1f, 2f, 3f}, k = {0.5f, -1f, 2f};
        try (Session s = Session.create(model(g, 13))) {
            Map<String, Tensor> out = s.run(Map.of("M", Tensor.ofLongs(new long[] {4}), "v0", Tensor.of(v0, 3)));
            float[] v = v0.clone(), sq = new float[12];
            for (int it = 0; it < 4; it++)
                for (int j = 0; j < 3; j++) { v[j] += k[j]; sq[it * 3 + j] = v[j] * v[j]; }
            assertArrayEquals(v, Tensors.floats(out.get("v")));
            assertArrayEquals(new long[] {4, 3}, out.get("squares").shape());
            assertArrayEquals(sq, Tensors.floats(out.get("squares")));
        }
    }

    @Test
    void scanReverseInputAlongAxisOneIntoOutputAxisOne() {
        Graph body = new Graph("body");
        body.inputs().addAll(List.of(ValueInfo.tensor("s_in", DataType.FLOAT32, 2), ValueInfo.tensor("x_t", DataType.FLOAT32, 2)));
        body.addNode(node("Add", List.of("s_in", "x_t"), List.of("s_out"), null));
        body.addNode(node("Identity", List.of("s_out"), List.of("y_t"), null));
        body.outputs().addAll(List.of(ValueInfo.tensor("s_out", DataType.FLOAT32, 2), ValueInfo.tensor("y_t", DataType.FLOAT32, 2)));
        Graph g = new Graph("main");
        g.inputs().addAll(List.of(ValueInfo.tensor("s0", DataType.FLOAT32, 2), ValueInfo.tensor("x", DataType.FLOAT32, 2, 5)));
        g.addNode(node("Scan", List.of("s0", "x"), List.of("s", "y"), new Attributes().put("body", body).put("num_scan_inputs", 1L)
                .put("scan_input_axes", new long[] {1}).put("scan_input_directions", new long[] {1}).put("scan_output_axes", new long[] {1})));
        g.outputs().addAll(List.of(ValueInfo.tensor("s", DataType.FLOAT32, 2), ValueInfo.tensor("y", DataType.FLOAT32, 2, 5)));
        float[] x = new float[10];
        for (int i = 0; i < 10; i++) x[i] = i * 0.25f - 1;
        try (Session s = Session.create(model(g, 16))) {
            Map<String, Tensor> out = s.run(Map.of("s0", Tensor.of(new float[] {10f, 20f}, 2), "x", Tensor.of(x, 2, 5)));
            float[] sum = {10f, 20f}, y = new float[10];
            for (int t = 0; t < 5; t++) {
                int col = 4 - t; // reversed input
                for (int r = 0; r < 2; r++) { sum[r] += x[r * 5 + col]; y[r * 5 + t] = sum[r]; }
            }
            assertArrayEquals(sum, Tensors.floats(out.get("s")));
            assertArrayEquals(y, Tensors.floats(out.get("y")));
        }
    }

    @Test
    void ifRunsTheChosenBranchOverOuterValues() {
        Graph then = new Graph("then"), otherwise = new Graph("else");
        then.addNode(node("Add", List.of("a", "b"), List.of("t"), null));
        then.outputs().add(ValueInfo.tensor("t", DataType.FLOAT32, 2));
        otherwise.addNode(node("Mul", List.of("a", "b"), List.of("e"), null));
        otherwise.outputs().add(ValueInfo.tensor("e", DataType.FLOAT32, 2));
        Graph g = new Graph("main");
        g.inputs().addAll(List.of(ValueInfo.tensor("c", DataType.BOOL), ValueInfo.tensor("a", DataType.FLOAT32, 2), ValueInfo.tensor("b", DataType.FLOAT32, 2)));
        g.addNode(node("If", List.of("c"), List.of("y"), new Attributes().put("then_branch", then).put("else_branch", otherwise)));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, 2));
        try (Session s = Session.create(model(g, 16))) {
            Tensor a = Tensor.of(new float[] {3f, 4f}, 2), b = Tensor.of(new float[] {5f, -2f}, 2);
            assertArrayEquals(new float[] {8f, 2f}, Tensors.floats(s.run(Map.of("c", Tensor.ofBooleans(new boolean[] {true}), "a", a, "b", b)).get("y")));
            assertArrayEquals(new float[] {15f, -8f}, Tensors.floats(s.run(Map.of("c", Tensor.ofBooleans(new boolean[] {false}), "a", a, "b", b)).get("y")));
        }
    }
}
