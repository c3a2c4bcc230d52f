package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default static form (u8s8, per-channel weights) of the shipped Fashion-MNIST CNN, whose
 * classifier is a Gemm, runs in ONNX Runtime: its QGemm fusion refuses a per-channel weight
 * DequantizeLinear without a zero-point of the scale's shape, so the quantizer writes one.
 */
class StaticPerChannelCnnTest {
    @TempDir static Path tmp;

    @Test
    void perChannelStaticFashionCnnRunsInOnnxRuntimeAtFloatAccuracy() throws Exception {
        Path dir = Path.of("../quant4j-train/src/main/resources/dev/quant4j/models");
        if (!Files.isDirectory(dir)) throw new IllegalStateException(dir.toAbsolutePath() + ": the Fashion CNN shipped in quant4j-train is missing from the checkout");
        Path fp32 = dir.resolve("fashion-cnn.onnx"), int8 = tmp.resolve("fashion-cnn-int8.onnx");
        float[] images = Npy.read(dir.resolve("fashion-eval-images.npy")).floats(0, 1000 * 784);
        for (int i = 0; i < images.length; i++) images[i] /= 255;
        long[] labels = Npy.read(dir.resolve("fashion-eval-labels.npy")).toLongs();
        List<Map<String, Tensor>> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++)
            batches.add(Map.of("image", Tensor.of(Arrays.copyOfRange(images, b * 100 * 784, (b + 1) * 100 * 784), 100, 1, 28, 28)));
        PrecisionPolicy policy = PrecisionPolicy.uniform(Precision.INT8_STATIC);
        try (Model m = OnnxReader.read(fp32)) {
            Calibrator c = new Calibrator(m, StaticQdqQuantizer.valuesToCalibrate(m, policy), MinMaxObserver::perTensor);
            c.observe(batches.get(0));
            QuantizationReport r = StaticQdqQuantizer.apply(m, policy, c.observers(), StaticQdqQuantizer.Options.u8s8());
            assertTrue(r.entries().stream().anyMatch(e -> e.opType().equals("Gemm") && e.outcome() == QuantizationReport.Outcome.QUANTIZED), r.toJson());
            for (Node n : m.graph().nodes())
                if (n.opType().equals("DequantizeLinear") && n.attributes().has("axis") && n.input(0).endsWith("_W_int8"))
                    assertEquals(3, n.inputs().size(), n.name() + ": per-channel weight without a zero-point");
            OnnxWriter.write(m, int8);
        }
        double fp = accuracy(fp32, batches, labels), q = accuracy(int8, batches, labels);
        System.out.printf("Fashion CNN static u8s8 per-channel in ONNX Runtime: accuracy %.4f (fp32 %.4f) on images 100..999%n", q, fp);
        assertTrue(q >= fp - 0.01, "int8 accuracy " + q + " vs fp32 " + fp);
    }

    private static double accuracy(Path model, List<Map<String, Tensor>> batches, long[] labels) throws Exception {
        int hit = 0, n = 0;
        try (Ort o = new Ort(model)) {
            for (int b = 1; b < batches.size(); b++) {
                float[] l = o.runAll(batches.get(b)).get("logits");
                for (int i = 0; i < l.length / 10; i++, n++) {
                    int arg = 0;
                    for (int j = 1; j < 10; j++) if (l[i * 10 + j] > l[i * 10 + arg]) arg = j;
                    if (arg == labels[100 * b + i]) hit++;
                }
            }
        }
        return (double) hit / n;
    }
}
