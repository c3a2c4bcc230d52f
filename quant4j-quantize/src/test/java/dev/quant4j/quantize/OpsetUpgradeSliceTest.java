package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** An opset-9 Slice (starts/ends/axes as attributes, PP-OCR's export) raised to 13 slices the same in ONNX Runtime. */
class OpsetUpgradeSliceTest {
    @TempDir Path tmp;

    private static Model model(boolean withAxes) {
        Graph g = new Graph("g");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 3, 4));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, (dev.quant4j.graph.Shape) null));
        Node s = Node.of("Slice", "s", List.of("x"), List.of("y"));
        s.attributes().put("starts", withAxes ? new long[] {1} : new long[] {1, -3});
        s.attributes().put("ends", withAxes ? new long[] {Long.MAX_VALUE} : new long[] {3, 100});
        if (withAxes) s.attributes().put("axes", new long[] {1});
        g.addNode(s);
        Model m = new Model(g);
        m.opsets().put("", 9L);
        m.setIrVersion(7);
        return m;
    }

    private float[] run(Model m, String name) throws Exception {
        Path f = tmp.resolve(name);
        OnnxWriter.write(m, f);
        float[] x = new float[12];
        for (int i = 0; i < x.length; i++) x[i] = i - 5.5f;
        try (Ort ort = new Ort(f)) { return ort.run(Map.of("x", Tensor.of(x, 3, 4))); }
    }

    @Test
    void slicesTheSameAfterRaisingTheOpset() throws Exception {
        for (boolean axes : new boolean[] {false, true}) {
            float[] expected = run(model(axes), "v9.onnx");
            Model m = model(axes);
            OpsetUpgrade.to(m, 13);
            Node s = m.graph().node("s");
            assertEquals(axes ? 4 : 3, s.inputs().size(), s.toString());
            assertEquals(0, s.attributes().names().size(), s.toString());
            assertArrayEquals(expected, run(m, "v13.onnx"), "axes given: " + axes);
        }
    }
}
