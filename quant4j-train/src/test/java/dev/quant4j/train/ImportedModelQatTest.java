package dev.quant4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.testkit.TestData;
import dev.quant4j.train.examples.DirectionLines;
import dev.quant4j.train.examples.QatDirectionClassifier;
import dev.quant4j.train.quant.FakeQuantizer;
import dev.quant4j.train.quant.QuantAwareTraining;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * QAT of an imported model end to end, kept short: PP-OCR's direction classifier (opset 9)
 * prepared for QDQ (opset 21, BN folded), fake-quantized W4A8, a few QAT steps on rendered Brown
 * lines, exported; the export must run in ONNX Runtime and agree with quant4j's runtime.
 * (The accuracy figures come from {@link QatDirectionClassifier}'s main, not from this test.)
 */
class ImportedModelQatTest {
    private static float[] run(Model m, ImageSet d) {
        String in = m.graph().feedInputs().get(0).name(), out = m.graph().outputNames().get(0);
        try (Session s = Session.create(m)) {
            return s.run(Map.of(in, Tensor.of(d.pixels(), d.batchShape(d.size())))).get(out).floats();
        }
    }

    @Test void directionClassifierQatExportRunsInOnnxRuntime() throws Exception {
        var model = TestData.require(QatDirectionClassifier.MODEL);
        DirectionLines.Split lines = DirectionLines.load(TestData.require(QatDirectionClassifier.BROWN), 4, 2, "DejaVu Sans", 3);
        ImageSet test = new ImageSet(Arrays.copyOf(lines.test().pixels(), 8 * lines.test().itemSize()), Arrays.copyOf(lines.test().labels(), 8), lines.test().itemShape());
        try (Model original = OnnxReader.read(model); Model prepared = QatDirectionClassifier.prepare(OnnxReader.read(model))) {
            assertEquals(21, prepared.onnxOpset());
            assertTrue(prepared.graph().nodes().stream().noneMatch(n -> n.opType().equals("BatchNormalization")), "batch norms folded");
            float[] a = run(original, test), b = run(prepared, test);
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4, "prepared model, probability " + i);

            FakeQuantizer.Result w4 = FakeQuantizer.apply(prepared, DataType.INT4, DataType.UINT8, lines.train(), 16);
            double[] losses = new double[3];
            Model qat = QuantAwareTraining.run(w4, lines.train(), new QuantAwareTraining.Settings(3, 1, 4, 1e-4, 0.05, 5),
                    (k, r, warm) -> losses[k] = r.loss());
            for (double l : losses) assertTrue(Double.isFinite(l) && l > 0, "cross-entropy on logits " + Arrays.toString(losses));
            assertEquals("Softmax", qat.graph().producer(qat.graph().outputNames().get(0)).opType(), "the export keeps the Softmax trained around");
            float[] ours = run(qat, test), ref;
            try (OrtRunner ort = new OrtRunner(qat)) { ref = ort.run(test.pixels(), test.batchShape(test.size())); }
            double maxDiff = 0;
            for (int i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
            // same QDQ arithmetic; summation order can move an activation across one rounding step
            assertTrue(maxDiff < 0.02, "quant4j vs ONNX Runtime max |diff| of probabilities " + maxDiff);
            for (int i = 0; i < test.size(); i++)
                assertEquals(ref[2 * i] > ref[2 * i + 1], ours[2 * i] > ours[2 * i + 1], "line " + i + " direction");
        }
    }
}
