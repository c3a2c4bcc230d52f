package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.faces.LfwSubset;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;

import dev.quant4j.quantize.optimize.BiasCorrection;
import dev.quant4j.quantize.optimize.CrossLayerEqualization;
import dev.quant4j.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-layer equalization and bias correction before static INT8 with per-tensor weights (where
 * uneven channel ranges cost most), on BlazeFace (lfw_subset: calibrate on every tenth image, judge
 * the other 180 by AUC and by the error of the score logits against fp32) and on the Fashion-MNIST
 * CNN shipped in quant4j-train (calibrate on the slice's first 100 images, judge the other 900).
 * Every variant starts from the same BatchNormalization-folded float model; equalization is first
 * checked to leave that float model's outputs unchanged, in ONNX Runtime.
 */
class EqualizationBiasCorrectionCnnTest {
    @TempDir static Path tmp;
    static final StaticQdqQuantizer.Options PER_TENSOR = new StaticQdqQuantizer.Options(dev.quant4j.core.DataType.UINT8, false, false, true);

    record Variant(String name, boolean equalize, boolean correctBias) {}

    static final List<Variant> VARIANTS = List.of(new Variant("per-tensor", false, false), new Variant("CLE", true, false),
            new Variant("bias correction", false, true), new Variant("CLE + bias correction", true, true));

    /** The float model prepared for {@code v} (BN folded, maybe equalized), written to a file. */
    static Path prepared(Path fp32, Variant v) throws Exception {
        Path out = tmp.resolve(fp32.getFileName() + (v.equalize() ? "_cle" : "_bnfold") + ".onnx");
        if (Files.exists(out)) return out;
        try (Model m = OnnxReader.read(fp32)) {
            ConvBatchNormFolder.apply(m);
            if (v.equalize()) CrossLayerEqualization.apply(m, 4);
            OnnxWriter.write(m, out);
        }
        return out;
    }

    static Path quantized(Path fp32, Variant v, List<Map<String, Tensor>> calib) throws Exception {
        Path in = prepared(fp32, v), out = tmp.resolve(fp32.getFileName() + "_" + v.name().replaceAll("\\W+", "_") + "_int8.onnx");
        PrecisionPolicy policy = PrecisionPolicy.uniform(Precision.INT8_STATIC);
        try (Model m = OnnxReader.read(in)) {
            Map<String, Observer> ranges;
            Calibrator c = new Calibrator(m, StaticQdqQuantizer.valuesToCalibrate(m, policy), MinMaxObserver::perTensor);
            for (Map<String, Tensor> f : calib) c.observe(f);
            ranges = c.observers();
            if (v.correctBias()) BiasCorrection.apply(m, BiasCorrection.inputMeans(m, calib), PER_TENSOR.perChannelWeights(), PER_TENSOR.reducedRangeWeights());
            StaticQdqQuantizer.apply(m, policy, ranges, PER_TENSOR);
            OnnxWriter.write(m, out);
        }
        return out;
    }

    static double maxRelativeDiff(List<Map<String, float[]>> a, List<Map<String, float[]>> b) {
        double diff = 0, max = 0;
        for (int i = 0; i < a.size(); i++)
            for (String k : a.get(i).keySet()) {
                float[] x = a.get(i).get(k), y = b.get(i).get(k);
                for (int j = 0; j < x.length; j++) { diff = Math.max(diff, Math.abs(x[j] - y[j])); max = Math.max(max, Math.abs(x[j])); }
            }
        return diff / max;
    }

    static List<Map<String, float[]>> outputs(Path model, List<Map<String, Tensor>> feeds) throws Exception {
        List<Map<String, float[]>> out = new ArrayList<>();
        try (Ort o = new Ort(model)) { for (Map<String, Tensor> f : feeds) out.add(o.runAll(f)); }
        return out;
    }

    @Test
    void blazeFace() throws Exception {
        Path fp32 = TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx");
        StaticBlazeFaceTest.faces = LfwSubset.open(TestData.require("datasets/images/lfw_subset.npy")).blazeFace();
        Dataset<Sample> faces = StaticBlazeFaceTest.faces;
        List<Map<String, Tensor>> calib = new ArrayList<>(), eval = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) (i % 10 == 0 ? calib : eval).add(StaticBlazeFaceTest.feed(i));
        List<Map<String, float[]>> ref = outputs(fp32, eval);
        double exact = maxRelativeDiff(ref, outputs(prepared(fp32, VARIANTS.get(1)), eval));
        System.out.printf("BlazeFace BN-folded + equalized float vs original, ONNX Runtime: max |diff| / max |output| = %.3g over 180 images%n", exact);
        assertTrue(exact < 1e-5, "equalization changed the float model: " + exact);
        Map<String, Double> aucs = new java.util.HashMap<>();
        for (Variant v : VARIANTS) {
            Path q = quantized(fp32, v, calib);
            List<Map<String, float[]>> out = outputs(q, eval);
            double err = 0;
            for (int i = 0; i < out.size(); i++) err += Math.abs(StaticBlazeFaceTest.score(ref.get(i)) - StaticBlazeFaceTest.score(out.get(i)));
            double auc = StaticBlazeFaceTest.auc(q);
            aucs.put(v.name(), auc);
            System.out.printf("BlazeFace static int8 u8s8, per-tensor weights, %s: AUC %.4f, mean |face score - fp32's| %.4f over 180 lfw_subset images; %d bytes%n",
                    v.name(), auc, err / out.size(), Files.size(q));
        }
        System.out.printf("BlazeFace fp32: AUC %.4f on the same images%n", StaticBlazeFaceTest.auc(fp32));
        double plain = aucs.get("per-tensor");
        assertTrue(aucs.get("CLE") >= 0.995 && aucs.get("CLE") > plain, "CLE AUC " + aucs.get("CLE") + " vs per-tensor " + plain);
        assertTrue(aucs.get("bias correction") > plain, "bias-corrected AUC " + aucs.get("bias correction") + " vs per-tensor " + plain);
    }

    @Test
    void fashionCnn() throws Exception {
        Path dir = Path.of("../quant4j-train/src/main/resources/dev/quant4j/models");
        if (!Files.isDirectory(dir)) throw new IllegalStateException(dir.toAbsolutePath() + ": the Fashion CNN shipped in quant4j-train is missing from the checkout");
        Path fp32 = dir.resolve("fashion-cnn.onnx");
        float[] images = Npy.read(dir.resolve("fashion-eval-images.npy")).floats(0, 1000 * 784);
        for (int i = 0; i < images.length; i++) images[i] /= 255;
        long[] labels = Npy.read(dir.resolve("fashion-eval-labels.npy")).toLongs();
        List<Map<String, Tensor>> calib = new ArrayList<>(), eval = new ArrayList<>();
        for (int b = 0; b < 10; b++)
            (b == 0 ? calib : eval).add(Map.of("image", Tensor.of(java.util.Arrays.copyOfRange(images, b * 100 * 784, (b + 1) * 100 * 784), 100, 1, 28, 28)));
        List<Map<String, float[]>> ref = outputs(fp32, eval);
        double exact = maxRelativeDiff(ref, outputs(prepared(fp32, VARIANTS.get(1)), eval));
        System.out.printf("Fashion CNN BN-folded + equalized float vs original, ONNX Runtime: max |diff| / max |logit| = %.3g over 900 images%n", exact);
        assertTrue(exact < 1e-5, "equalization changed the float model: " + exact);
        System.out.printf("Fashion CNN fp32: accuracy %.4f on images 100..999 of the shipped slice%n", accuracy(ref, labels));
        Map<String, Double> errors = new java.util.HashMap<>();
        for (Variant v : VARIANTS) {
            List<Map<String, float[]>> out = outputs(quantized(fp32, v, calib), eval);
            double err = 0;
            long n = 0;
            for (int i = 0; i < out.size(); i++) {
                float[] x = ref.get(i).get("logits"), y = out.get(i).get("logits");
                for (int j = 0; j < x.length; j++) { err += (x[j] - y[j]) * (x[j] - y[j]); n++; }
            }
            double rmse = Math.sqrt(err / n);
            System.out.printf("Fashion CNN static int8 u8s8, per-tensor weights, %s: accuracy %.4f, logit RMSE vs fp32 %.4f over 900 images%n",
                    v.name(), accuracy(out, labels), rmse);
            errors.put(v.name(), rmse);
        }
        assertTrue(errors.get("bias correction") < errors.get("per-tensor"), "bias correction did not lower the logit error: " + errors);
    }

    static double accuracy(List<Map<String, float[]>> out, long[] labels) {
        int hit = 0, n = 0;
        for (int b = 0; b < out.size(); b++) {
            float[] l = out.get(b).get("logits");
            for (int i = 0; i < l.length / 10; i++, n++) {
                int arg = 0;
                for (int j = 1; j < 10; j++) if (l[i * 10 + j] > l[i * 10 + arg]) arg = j;
                if (arg == labels[100 * (b + 1) + i]) hit++;
            }
        }
        return (double) hit / n;
    }
}
