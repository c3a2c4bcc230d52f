package dev.quant4j.train.examples;

import dev.quant4j.core.DataType;
import dev.quant4j.data.Permutation;
import dev.quant4j.data.Sample;
import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.eval.CtcGreedyDecoder;
import dev.quant4j.eval.ErrorRate;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import dev.quant4j.train.CtcLoss;
import dev.quant4j.train.ImageSet;
import dev.quant4j.train.Trainer;
import dev.quant4j.train.quant.FakeQuantizer;
import dev.quant4j.train.quant.QuantAwareTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * QAT with CTC of an imported recognizer: PP-OCRv4 rec prepared like the direction classifier
 * (weights to initializers, opset 21, BN folded), fake-quantized W8A8 and W4A8, then W4A8
 * fine-tuned on rendered Brown lines (3×48×320, 40 frames) with the CTC loss on the logits before
 * its Softmax. Character error rate (greedy CTC decoding) on held-out lines from other sentences.
 * <pre>
 *   java ... dev.quant4j.train.examples.QatRecognizer [testdata-dir] [out.onnx] [train-sentences] [test-sentences] [steps] [batch] [seed] [lr]
 * </pre>
 */
public final class QatRecognizer {
    private QatRecognizer() {}

    public static final String MODEL = "models/ppocr/ch_PP-OCRv4_rec_infer.onnx", KEYS = "models/ppocr/ppocr_keys_v1.txt";
    static final int WIDTH = 320, MAX_CHARS = 16;

    /** Rendered lines and their label sequences (0 = blank, 1.. = key file lines, last = space). */
    record Lines(ImageSet images, int[][] targets, List<String> texts) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(TrainFashionCnn.arg(args, 0, "../shared/testdata"));
        Path out = Path.of(TrainFashionCnn.arg(args, 1, "target/ppocr-rec-w4a8-qat.onnx"));
        int trainSentences = Integer.parseInt(TrainFashionCnn.arg(args, 2, "20"));
        int testSentences = Integer.parseInt(TrainFashionCnn.arg(args, 3, "8"));
        int steps = Integer.parseInt(TrainFashionCnn.arg(args, 4, "24"));
        int batch = Integer.parseInt(TrainFashionCnn.arg(args, 5, "4"));
        long seed = Long.parseLong(TrainFashionCnn.arg(args, 6, "7"));
        double lrMax = Double.parseDouble(TrainFashionCnn.arg(args, 7, "1e-4"));
        List<String> keys = Files.readAllLines(data.resolve(KEYS), StandardCharsets.UTF_8);
        List<String> sentences = BrownCorpus.read(data.resolve(QatDirectionClassifier.BROWN), trainSentences + testSentences);
        Lines train = render(DirectionLines.lines(sentences.subList(0, trainSentences), MAX_CHARS), keys, seed);
        Lines test = render(DirectionLines.lines(sentences.subList(trainSentences, sentences.size()), MAX_CHARS), keys, seed + 1);
        System.out.printf("%d training lines, %d held-out lines%n", train.texts().size(), test.texts().size());
        Model prepared = QatDirectionClassifier.prepare(OnnxReader.read(data.resolve(MODEL)));
        ImageSet calib = QatDirectionClassifier.head(train.images(), Math.min(16, train.images().size()));
        show("fp32", OnnxReader.read(data.resolve(MODEL)), test, keys);
        show("W8A8 PTQ", FakeQuantizer.apply(prepared, DataType.INT8, DataType.UINT8, calib, 4).model(), test, keys);
        FakeQuantizer.Result w4 = FakeQuantizer.apply(prepared, DataType.INT4, DataType.UINT8, calib, 4);
        show("W4A8 PTQ", w4.model(), test, keys);

        int n = train.images().size(), b = Math.min(batch, n), item = train.images().itemSize();
        int[] order = Permutation.of(n, seed);
        long t0 = System.nanoTime();
        Model qat = QuantAwareTraining.run(w4, new QuantAwareTraining.Settings(steps, Math.max(1, steps / 8), b, lrMax, 0.05, seed), k -> {
            int from = (int) (((long) k * b) % (n - b + 1));
            int[][] targets = new int[b][];
            for (int i = 0; i < b; i++) targets[i] = train.targets()[order[from + i]];
            return new QuantAwareTraining.Batch(train.images().gather(order, from, from + b), train.images().batchShape(b), y -> {
                long[] ys = y.shape();
                CtcLoss.Result r = CtcLoss.ofLogits(y.floats(), b, (int) ys[1], (int) ys[2], targets, 0);
                return new Trainer.Loss(r.loss(), r.grad());
            });
        }, (k, loss, warm) -> System.out.printf("qat step %d/%d CTC loss %.4f  %.1f s%s%n", k + 1, steps, loss, (System.nanoTime() - t0) / 1e9, warm ? " (observers warming up)" : ""));
        show("W4A8 QAT", qat, test, keys);
        qat.setDocString("quant4j-train W4A8 QAT (CTC) of PP-OCRv4 rec on rendered Brown lines, " + steps + " steps of " + b + ", seed " + seed);
        OnnxWriter.write(qat, out);
        System.out.println("wrote " + out);
    }

    static Lines render(List<String> lines, List<String> keys, long seed) {
        List<String> kept = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (String l : lines) {
            int[] ids = ids(l, keys);
            if (ids != null && ids.length > 0) { kept.add(l); targets.add(ids); }
        }
        TextLineDataset ds = new TextLineDataset(kept, new TextLineRenderer("DejaVu Sans"), TextLineDataset.Task.RECOGNITION, WIDTH, seed);
        float[] px = new float[kept.size() * 3 * 48 * WIDTH];
        for (int i = 0; i < kept.size(); i++) {
            Sample s = ds.get(i);
            if (s.shape()[2] != WIDTH) throw new IllegalStateException("line '" + kept.get(i) + "' rendered " + s.shape()[2] + " wide");
            System.arraycopy(s.data(), 0, px, i * s.data().length, s.data().length);
        }
        return new Lines(new ImageSet(px, new int[kept.size()], new long[] {3, 48, WIDTH}), targets.toArray(int[][]::new), kept);
    }

    /** The label ids of {@code text}, or null when a character is not in the dictionary. */
    static int[] ids(String text, List<String> keys) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            String c = text.substring(i, i + 1);
            int k = c.equals(" ") ? keys.size() + 1 : keys.indexOf(c) + 1;
            if (k == 0) return null;
            ids[i] = k;
        }
        return ids;
    }

    /** Character error rate and exact-line rate of greedy CTC decoding, in quant4j's runtime. */
    static void show(String label, Model m, Lines test, List<String> keys) {
        String in = m.graph().feedInputs().get(0).name(), outName = m.graph().outputNames().get(0);
        ErrorRate cer = ErrorRate.characters();
        CtcGreedyDecoder ctc = new CtcGreedyDecoder(0);
        ImageSet im = test.images();
        int sz = im.itemSize();
        try (Session s = Session.create(m)) {
            for (int from = 0; from < im.size(); from += 4) {
                int k = Math.min(4, im.size() - from);
                float[] x = Arrays.copyOfRange(im.pixels(), from * sz, (from + k) * sz);
                Tensor y = s.run(Map.of(in, Tensor.of(x, im.batchShape(k)))).get(outName);
                int t = (int) y.shape()[1], c = (int) y.shape()[2];
                float[] p = y.floats();
                for (int i = 0; i < k; i++) {
                    String got = ctc.decodeText(Arrays.copyOfRange(p, i * t * c, (i + 1) * t * c), t, c, id -> id == keys.size() + 1 ? " " : keys.get(id - 1));
                    cer.add(test.texts().get(from + i), got);
                }
            }
        }
        System.out.printf("%-10s CER %.4f  exact lines %.4f  (%d lines)%n", label, cer.statistic().value(), cer.exactMatchRate(), cer.size());
    }
}
