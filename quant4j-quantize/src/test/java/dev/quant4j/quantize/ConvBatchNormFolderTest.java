package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folding the PP-OCR classifier's BatchNormalizations (weights in Constant nodes) leaves its function unchanged in ONNX Runtime. */
class ConvBatchNormFolderTest {
    @TempDir Path tmp;

    @Test
    void foldedClassifierComputesTheSameProbabilities() throws Exception {
        Path out = tmp.resolve("cls_folded.onnx");
        try (Model m = OnnxReader.read(PpOcr.classifier())) {
            assertEquals(35, ConvBatchNormFolder.apply(m));
            assertEquals(0, m.graph().nodes().stream().filter(n -> n.opType().equals("BatchNormalization")).count());
            OnnxWriter.write(m, out);
        }
        var lines = PpOcr.direction(PpOcr.evaluationLines(8, 24), 3);
        try (Ort a = new Ort(PpOcr.classifier()); Ort b = new Ort(out)) {
            for (int i = 0; i < lines.size(); i++) {
                var f = PpOcr.feed(lines.get(i));
                float[] x = a.run(f), y = b.run(f);
                for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], 1e-5, "line " + i);
            }
        }
    }
}
