package dev.quant4j.train.examples;

import dev.quant4j.core.DataType;
import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.train.Evaluation;
import dev.quant4j.train.ImageSet;
import dev.quant4j.quantize.ConvBatchNormFolder;
import dev.quant4j.train.quant.FakeQuantizer;
import dev.quant4j.train.quant.QuantAwareTraining;
import java.nio.file.Path;

/**
 * Post-training fake quantization versus QAT on the built-in Fashion-MNIST CNN:
 * fp32 → BN folded → INT8 PTQ (W8A8) → W4A8 PTQ → W4A8 QAT (LSQ, observers frozen after a warm-up),
 * all on the full test set in quant4j's runtime; writes the QAT model as QDQ ONNX.
 * <pre>
 *   java ... dev.quant4j.train.examples.QatFashionCnn [fp32.onnx] [data-dir] [out.onnx] [steps] [seed]
 * </pre>
 */
public final class QatFashionCnn {
    private QatFashionCnn() {}

    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(TrainFashionCnn.arg(args, 0, "quant4j-train/src/main/resources/dev/quant4j/models/" + TrainFashionCnn.MODEL_FILE));
        Path data = Path.of(TrainFashionCnn.arg(args, 1, "../shared/testdata/datasets/fashion-mnist"));
        Path out = Path.of(TrainFashionCnn.arg(args, 2, "quant4j-train/src/main/resources/dev/quant4j/models/fashion-cnn-w4a8-qat.onnx"));
        int steps = Integer.parseInt(TrainFashionCnn.arg(args, 3, "200"));
        long seed = Long.parseLong(TrainFashionCnn.arg(args, 4, "7"));
        int warmup = Math.max(1, steps / 8), batch = 64;
        ImageSet train = ImageSet.load(IdxDataset.fashionMnist(data, "train"), Integer.MAX_VALUE);
        ImageSet test = ImageSet.load(IdxDataset.fashionMnist(data, "t10k"), Integer.MAX_VALUE);
        ImageSet calib = ImageSet.load(IdxDataset.fashionMnist(data, "train"), 2000);
        Model fp32 = OnnxReader.read(modelPath);
        double accFp32 = Evaluation.accuracy(fp32, test, 500);
        System.out.printf("fp32                %.4f%n", accFp32);
        Model folded = OnnxReader.read(modelPath);
        int n = ConvBatchNormFolder.apply(folded);
        System.out.printf("BN folded (%d)       %.4f%n", n, Evaluation.accuracy(folded, test, 500));
        FakeQuantizer.Result w8 = FakeQuantizer.apply(folded, DataType.INT8, DataType.UINT8, calib, 500);
        double accW8 = Evaluation.accuracy(w8.model(), test, 500);
        System.out.printf("INT8 PTQ (W8A8)     %.4f%n", accW8);
        FakeQuantizer.Result w4 = FakeQuantizer.apply(folded, DataType.INT4, DataType.UINT8, calib, 500);
        double accW4 = Evaluation.accuracy(w4.model(), test, 500);
        System.out.printf("W4A8 PTQ            %.4f%n", accW4);

        long t0 = System.nanoTime();
        double[] lossSum = {0};
        int[] seen = {0, 0};
        Model result = QuantAwareTraining.run(w4, train, new QuantAwareTraining.Settings(steps, warmup, batch, 1e-4, 0.05, seed), (k, r, warm) -> {
            lossSum[0] += r.loss();
            seen[0]++;
            seen[1] += r.correct();
            if ((k + 1) % 50 == 0)
                System.out.printf("qat step %d/%d loss %.4f train acc %.4f%s%n", k + 1, steps, lossSum[0] / seen[0], (double) seen[1] / (seen[0] * batch), warm ? " (observers warming up)" : "");
        });
        result.setDocString("quant4j-train QAT (W4A8: int4 per-channel weights, uint8 per-tensor activations, LSQ scales) of the built-in Fashion-MNIST CNN, " + steps + " steps, seed " + seed);
            System.out.printf("qat took %.1f s%n", (System.nanoTime() - t0) / 1e9);
            double accQat = Evaluation.accuracy(result, test, 500);
            System.out.printf("W4A8 QAT            %.4f%n", accQat);
            double loss = accFp32 - accW4;
            System.out.printf("summary: fp32 %.2f%%  INT8 PTQ %.2f%% (cost %.2f pt)  W4A8 PTQ %.2f%% (cost %.2f pt)  W4A8 QAT %.2f%% (recovers %.0f%% of the W4A8 loss)%n",
                    100 * accFp32, 100 * accW8, 100 * (accFp32 - accW8), 100 * accW4, 100 * loss, 100 * accQat,
                    loss > 0 ? 100 * (accQat - accW4) / loss : Double.NaN);
            OnnxWriter.write(result, out);
            System.out.println("wrote " + out);
    }
}
