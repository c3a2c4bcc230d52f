package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.task.FashionExample;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both engines run the built-in model through one API and agree with each other. */
class EngineTest {

    @Test
    void quant4jAndOnnxRuntimeAgreeOnTheExampleModel() throws Exception {
        var data = FashionExample.evaluationSlice().limit(8);
        try (Model m = FashionExample.openModel();
             Engine.Runner q = Engine.quant4j().open(m);
             Engine.Runner qb = Engine.quant4j(1).open(FashionExample.modelBytes());
             Engine.Runner o = Engine.onnxRuntime(1).open(m)) {
            assertEquals(q.outputNames(), o.outputNames());
            assertEquals(q.inputNames(), o.inputNames());
            for (int i = 0; i < data.size(); i++) {
                Map<String, Tensor> f = data.feeds(i);
                float[] a = q.run(f).get(FashionExample.OUTPUT).floats(), b = o.run(f).get(FashionExample.OUTPUT).floats(),
                        c = qb.run(f).get(FashionExample.OUTPUT).floats();
                assertEquals(10, a.length);
                for (int j = 0; j < 10; j++) {
                    assertEquals(b[j], a[j], 1e-3 * Math.max(1, Math.abs(b[j])), "image " + i + " class " + j);
                    assertEquals(a[j], c[j], 0f, "from bytes, single-threaded");
                }
            }
        }
    }

    @Test
    void badBytesGiveAClearError() {
        IOException e = assertThrows(IOException.class, () -> Engine.onnxRuntime(1).open(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("ONNX Runtime"), e.getMessage());
        assertThrows(IOException.class, () -> Engine.quant4j().open(new byte[] {1, 2, 3}));
    }
}
