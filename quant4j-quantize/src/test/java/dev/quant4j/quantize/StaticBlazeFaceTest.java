package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.calibration.HistogramObserver;
import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.faces.LfwSubset;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import dev.quant4j.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static INT8 QDQ BlazeFace, calibrated on 20 lfw_subset images (every tenth) and judged on the
 * other 180 in ONNX Runtime by face-detection AUC (face score: max sigmoid over both score outputs),
 * next to the float32 model's AUC on the same images.
 */
class StaticBlazeFaceTest {
    @TempDir static Path tmp;
    static Path fp32;
    static Dataset<Sample> faces;

    @BeforeAll
    static void setUp() {
        fp32 = TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx");
        faces = LfwSubset.open(TestData.require("datasets/images/lfw_subset.npy")).blazeFace();
    }

    static Map<String, Tensor> feed(int i) {
        Sample s = faces.get(i);
        long[] shape = new long[s.shape().length + 1];
        shape[0] = 1;
        System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
        return Map.of("input:0", Tensor.of(s.data(), shape));
    }

    static double score(Map<String, float[]> out) {
        double best = Double.NEGATIVE_INFINITY;
        for (String o : List.of("Identity:0", "Identity_1:0")) for (float v : out.get(o)) best = Math.max(best, v);
        return 1 / (1 + Math.exp(-best));
    }

    /** Area under the ROC curve: P(score of a face > score of a non-face), ties counting half. */
    static double auc(List<Double> scores, List<Integer> labels) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.size(); i++) for (int j = 0; j < scores.size(); j++) {
            if (labels.get(i) != LfwSubset.FACE || labels.get(j) != LfwSubset.NOT_FACE) continue;
            pairs++;
            wins += scores.get(i) > scores.get(j) ? 1 : scores.get(i).equals(scores.get(j)) ? 0.5 : 0;
        }
        return wins / pairs;
    }

    static double auc(Path model) throws Exception {
        List<Double> s = new ArrayList<>();
        List<Integer> l = new ArrayList<>();
        try (Ort ort = new Ort(model)) {
            for (int i = 0; i < faces.size(); i++) {
                if (i % 10 == 0) continue;
                s.add(score(ort.runAll(feed(i))));
                l.add(LfwSubset.label(i));
            }
        }
        return auc(s, l);
    }

    private static Path quantize(String name, Supplier<Observer> observer, StaticQdqQuantizer.Options options) throws Exception {
        PrecisionPolicy policy = PrecisionPolicy.uniform(Precision.INT8_STATIC);
        Map<String, Observer> ranges;
        try (Model m = OnnxReader.read(fp32)) {
            Calibrator c = new Calibrator(m, StaticQdqQuantizer.valuesToCalibrate(m, policy), observer);
            for (int i = 0; i < faces.size(); i += 10) c.observe(feed(i));
            ranges = c.observers();
        }
        Path out = tmp.resolve(name);
        try (Model m = OnnxReader.read(fp32)) {
            QuantizationReport r = StaticQdqQuantizer.apply(m, policy, ranges, options);
            assertEquals(37 + 16, r.count(QuantizationReport.Outcome.QUANTIZED), r.toJson()); // every Conv and Add
            OnnxWriter.write(m, out);
        }
        return out;
    }

    @Test
    void minMaxU8S8PerChannelKeepsTheAucAndRunsInBothEngines() throws Exception {
        Path q = quantize("blazeface_u8s8.onnx", MinMaxObserver::perTensor, StaticQdqQuantizer.Options.u8s8());
        double a32 = auc(fp32), a8 = auc(q);
        System.out.printf("BlazeFace static QDQ u8s8 min/max: AUC %.4f (fp32 %.4f) on 180 lfw_subset images; %d -> %d bytes%n",
                a8, a32, Files.size(fp32), Files.size(q));
        assertTrue(a8 >= 0.995, "AUC " + a8);
        assertTrue(Files.size(q) < Files.size(fp32));
        try (Ort ort = new Ort(q); Model m = OnnxReader.read(q); Session s = Session.create(m)) {
            for (int i : new int[] {1, 150}) {
                double a = score(ort.runAll(feed(i)));
                Map<String, float[]> ours = new java.util.HashMap<>();
                s.run(feed(i)).forEach((k, v) -> ours.put(k, v.floats()));
                assertEquals(a, score(ours), 0.02, "image " + i);
            }
        }
    }

    /**
     * With quantized outputs ONNX Runtime fuses every DQ→Conv→Q into QLinearConv (and DQ→Add→Q into
     * QLinearAdd): its optimized graph, saved by ORT itself, has no float Conv or Add left but the four
     * heads whose outputs are the model's (kept float on purpose). Inputs-only
     * QDQ fuses a Conv only when its reader happens to be quantized (here a residual Add); the others run
     * in float on dequantized weights, the reason the option exists.
     */
    @Test
    void quantizedOutputsLetOnnxRuntimeFuseIntegerConvs() throws Exception {
        Path both = quantize("blazeface_u8s8_outputs.onnx", MinMaxObserver::perTensor, StaticQdqQuantizer.Options.u8s8().withQuantizedOutputs(true));
        Path inputsOnly = quantize("blazeface_u8s8_inputs.onnx", MinMaxObserver::perTensor, StaticQdqQuantizer.Options.u8s8());
        try (Model m = OnnxReader.read(both)) {
            var g = m.graph();
            int heads = 0;
            for (var n : g.nodes()) {
                if (!n.opType().equals("Conv") && !n.opType().equals("Add")) continue;
                var readers = g.consumers(n.output(0));
                if (readers.size() == 1 && readers.get(0).opType().equals("Transpose")) { heads++; continue; } // the 4 heads: model outputs stay float
                assertEquals(1, readers.size(), n.label());
                assertEquals("QuantizeLinear", readers.get(0).opType(), n.label());
            }
            assertEquals(4, heads);
        }
        Map<String, Integer> fused = ortOptimizedOps(both), plain = ortOptimizedOps(inputsOnly);
        System.out.printf("BlazeFace in ORT's optimized graph: outputs quantized %s; inputs only %s%n", fused, plain);
        assertEquals(33, fused.getOrDefault("QLinearConv", 0));
        assertEquals(16, fused.getOrDefault("QLinearAdd", 0));
        assertEquals(4, fused.getOrDefault("Conv", 0) + fused.getOrDefault("FusedConv", 0), "the heads");
        assertEquals(0, fused.getOrDefault("Add", 0));
        assertTrue(plain.getOrDefault("Conv", 0) + plain.getOrDefault("FusedConv", 0) > 0, plain.toString());
        assertTrue(plain.getOrDefault("QLinearAdd", 0) < 16, plain.toString());
        double a8 = auc(both);
        System.out.printf("BlazeFace static QDQ u8s8, outputs quantized: AUC %.4f on 180 lfw_subset images%n", a8);
        assertTrue(a8 >= 0.985, "AUC " + a8); // one more rounding per node than inputs-only (0.9981 there): measured 0.9901
        try (Ort ort = new Ort(both); Model m = OnnxReader.read(both); Session s = Session.create(m)) {
            for (int i : new int[] {1, 150}) {
                Map<String, float[]> ours = new java.util.HashMap<>();
                s.run(feed(i)).forEach((k, v) -> ours.put(k, v.floats()));
                assertEquals(score(ort.runAll(feed(i))), score(ours), 0.02, "image " + i);
            }
        }
    }

    /** Operator counts of the graph ONNX Runtime runs after its extended (QDQ-fusing) optimizations. */
    private static Map<String, Integer> ortOptimizedOps(Path model) throws Exception {
        Path optimized = tmp.resolve(model.getFileName() + ".ort-optimized.onnx");
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (var o = new ai.onnxruntime.OrtSession.SessionOptions()) {
            o.setOptimizationLevel(ai.onnxruntime.OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            o.setOptimizedModelFilePath(optimized.toString());
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            env.createSession(model.toString(), o).close();
        }
        Map<String, Integer> ops = new java.util.TreeMap<>();
        try (Model m = OnnxReader.read(optimized)) {
            for (var n : m.graph().nodes()) ops.merge(n.opType(), 1, Integer::sum);
        }
        return ops;
    }

    @Test
    void entropyU16Activations() throws Exception {
        Path q = quantize("blazeface_u16.onnx", HistogramObserver::entropy,
                new StaticQdqQuantizer.Options(dev.quant4j.core.DataType.UINT16, false, true, false));
        try (Model m = OnnxReader.read(q)) { assertEquals(21, m.onnxOpset()); }
        double a16 = auc(q);
        System.out.printf("BlazeFace static QDQ u16 activations, entropy: AUC %.4f on 180 lfw_subset images%n", a16);
        assertTrue(a16 >= 0.995, "AUC " + a16);
    }

    @Test
    void percentileS8S8() throws Exception {
        Path q = quantize("blazeface_s8s8.onnx", () -> HistogramObserver.percentile(99.99),
                StaticQdqQuantizer.Options.s8s8());
        double a8 = auc(q);
        System.out.printf("BlazeFace static QDQ s8s8 percentile 99.99: AUC %.4f on 180 lfw_subset images%n", a8);
        assertTrue(a8 >= 0.995, "AUC " + a8);
    }
}
