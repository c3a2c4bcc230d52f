package dev.quant4j.train.examples;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.OpsetUpgrade;
import dev.quant4j.train.Evaluation;
import dev.quant4j.train.ImageSet;
import dev.quant4j.quantize.ConvBatchNormFolder;
import dev.quant4j.train.quant.ConstantsToInitializers;
import dev.quant4j.train.quant.FakeQuantizer;
import dev.quant4j.train.quant.QuantAwareTraining;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * QAT of an imported model: PP-OCR's direction classifier (opset 9, as published) raised to
 * opset 21, batch norms folded, fake-quantized (W8A8 and W4A8, min/max calibration on training
 * lines), then W4A8 fine-tuned with fake quantization on rendered Brown lines (upright vs 180°).
 * Accuracy of fp32 / PTQ / QAT on held-out lines (disjoint sentences) in quant4j's runtime; writes
 * the QAT model as QDQ ONNX.
 * <pre>
 *   java ... dev.quant4j.train.examples.QatDirectionClassifier [testdata-dir] [out.onnx] [train-sentences] [test-sentences] [steps] [batch] [seed]
 * </pre>
 */
public final class QatDirectionClassifier {
    private QatDirectionClassifier() {}

    public static final String MODEL = "models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx", BROWN = "datasets/text/brown_sentences.txt.gz";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(TrainFashionCnn.arg(args, 0, "../shared/testdata"));
        Path out = Path.of(TrainFashionCnn.arg(args, 1, "target/ppocr-cls-w4a8-qat.onnx"));
        int trainSentences = Integer.parseInt(TrainFashionCnn.arg(args, 2, "300"));
        int testSentences = Integer.parseInt(TrainFashionCnn.arg(args, 3, "200"));
        int steps = Integer.parseInt(TrainFashionCnn.arg(args, 4, "300"));
        int batch = Integer.parseInt(TrainFashionCnn.arg(args, 5, "16"));
        long seed = Long.parseLong(TrainFashionCnn.arg(args, 6, "7"));
        long t0 = System.nanoTime();
        DirectionLines.Split split = DirectionLines.load(data.resolve(BROWN), trainSentences, testSentences, "DejaVu Sans", seed);
        ImageSet train = split.train(), test = split.test();
        System.out.printf("rendered %d training lines, %d held-out lines in %.1f s%n", train.size(), test.size(), (System.nanoTime() - t0) / 1e9);
        ImageSet calib = head(train, Math.min(256, train.size()));

        Model fp32 = OnnxReader.read(data.resolve(MODEL));
        Evaluation.Scores accFp32 = show("fp32 (opset " + fp32.onnxOpset() + ")", fp32, test);
        Model prepared = prepare(OnnxReader.read(data.resolve(MODEL)));
        show("opset 21, BN folded", prepared, test);
        FakeQuantizer.Result w8 = FakeQuantizer.apply(prepared, DataType.INT8, DataType.UINT8, calib, 32);
        Evaluation.Scores accW8 = show("W8A8 PTQ", w8.model(), test);
        FakeQuantizer.Result w4 = FakeQuantizer.apply(prepared, DataType.INT4, DataType.UINT8, calib, 32);
        Evaluation.Scores accW4 = show("W4A8 PTQ", w4.model(), test);

        long t1 = System.nanoTime();
        double[] loss = {0};
        int[] seen = {0, 0};
        Model qat = QuantAwareTraining.run(w4, train, new QuantAwareTraining.Settings(steps, Math.max(1, steps / 8), batch, 1e-4, 0.05, seed), (k, r, warm) -> {
            loss[0] += r.loss();
            seen[0]++;
            seen[1] += r.correct();
            if ((k + 1) % 25 == 0) {
                System.out.printf("qat step %d/%d loss %.4f train acc %.4f  %.1f s%s%n", k + 1, steps, loss[0] / seen[0],
                        (double) seen[1] / ((long) seen[0] * batch), (System.nanoTime() - t1) / 1e9, warm ? " (observers warming up)" : "");
                loss[0] = 0;
                seen[0] = seen[1] = 0;
            }
        });
        System.out.printf("qat took %.1f s%n", (System.nanoTime() - t1) / 1e9);
        Evaluation.Scores accQat = show("W4A8 QAT", qat, test);
        System.out.printf("summary (%d held-out lines; accuracy, mean NLL): fp32 %s  W8A8 PTQ %s  W4A8 PTQ %s  W4A8 QAT %s (%d steps of %d, %d training lines)%n",
                test.size(), fmt(accFp32), fmt(accW8), fmt(accW4), fmt(accQat), steps, batch, train.size());
        qat.setDocString("quant4j-train W4A8 QAT of PP-OCR ch_ppocr_mobile_v2.0_cls on rendered Brown lines, " + steps + " steps, seed " + seed);
        OnnxWriter.write(qat, out);
        System.out.println("wrote " + out);
    }

    /** The published model made ready for QDQ: weights as initializers, opset 21 (Slice's and Clip's attributes become inputs), inference batch norms folded into the convolutions. */
    public static Model prepare(Model m) {
        ConstantsToInitializers.apply(m); // its weights are Constant nodes
        OpsetUpgrade.to(m, 21);
        ConvBatchNormFolder.apply(m);
        return m;
    }

    static Evaluation.Scores show(String label, Model m, ImageSet test) {
        Evaluation.Scores s = Evaluation.scores(m, test, 32);
        System.out.printf("%-22s accuracy %.4f  mean NLL %.4f%n", label, s.accuracy(), s.meanNll());
        return s;
    }

    static String fmt(Evaluation.Scores s) { return String.format("%.2f%%, %.4f", 100 * s.accuracy(), s.meanNll()); }

    static ImageSet head(ImageSet s, int n) {
        return new ImageSet(Arrays.copyOf(s.pixels(), n * s.itemSize()), Arrays.copyOf(s.labels(), n), s.itemShape());
    }
}
