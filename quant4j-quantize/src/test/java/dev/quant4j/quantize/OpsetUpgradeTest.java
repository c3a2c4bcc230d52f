package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An opset-11 graph raised to 13 and to 21 gives ONNX Runtime's outputs of the original, to the bit. */
class OpsetUpgradeTest {
    @TempDir Path tmp;

    private static Model model() {
        Graph g = new Graph("g");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 2, 3));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, 1, 2, 1));
        Node u = Node.of("Unsqueeze", "u", List.of("x"), List.of("ux"));
        u.attributes().put("axes", new long[] {0});
        Node r = Node.of("ReduceMean", "r", List.of("ux"), List.of("m"));
        r.attributes().put("axes", new long[] {2});
        Node c = Node.of("Clip", "c", List.of("ux"), List.of("cx"));
        Node s = Node.of("Softmax", "s", List.of("cx"), List.of("sx"));
        s.attributes().put("axis", 2L);
        Node rs = Node.of("ReduceSum", "rs", List.of("sx"), List.of("ss"));
        rs.attributes().put("axes", new long[] {2});
        g.addNode(u); g.addNode(r); g.addNode(c); g.addNode(s); g.addNode(rs);
        g.addNode(Node.of("Mul", "mul", List.of("m", "ss"), List.of("y")));
        Model m = new Model(g);
        m.opsets().put("", 11L);
        m.setIrVersion(7);
        return m;
    }

    private float[] run(Model m, String name) throws Exception {
        Path f = tmp.resolve(name);
        OnnxWriter.write(m, f);
        try (Ort ort = new Ort(f)) { return ort.run(Map.of("x", Tensor.of(new float[] {1, -2, 3, 0.5f, 4, -6}, 2, 3))); }
    }

    @Test
    void raisedModelsComputeTheSame() throws Exception {
        float[] expected = run(model(), "v11.onnx");
        for (long target : new long[] {13, 21}) {
            Model m = model();
            OpsetUpgrade.to(m, target);
            assertEquals(target, m.onnxOpset());
            assertEquals(target >= 18, m.graph().node("r").inputs().size() == 2, "ReduceMean axes input at " + target);
            assertArrayEquals(expected, run(m, "v" + target + ".onnx"), "opset " + target);
        }
    }

    @Test
    void softmaxOverAnInnerAxisIsRefused() {
        Model m = model();
        m.graph().node("s").attributes().put("axis", 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpsetUpgrade.to(m, 13));
        assertTrue(e.getMessage().contains("'s' (Softmax") && e.getMessage().contains("axis 1"), e.getMessage());
    }
}
