package dev.quant4j.train.examples;

import dev.quant4j.data.Permutation;
import dev.quant4j.data.idx.IdxDataset;
import dev.quant4j.data.npy.Npy;
import dev.quant4j.data.npy.NpyArray;
import dev.quant4j.data.npy.NpyDtype;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.train.AdamW;
import dev.quant4j.train.CrossEntropy;
import dev.quant4j.train.Evaluation;
import dev.quant4j.train.ImageSet;
import dev.quant4j.train.Schedule;
import dev.quant4j.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Trains the built-in {@link FashionCnn} on Fashion-MNIST from scratch (seeded, reproducible) and
 * writes it as ONNX plus an evaluation slice (the first test images as uint8 NPY, labels as uint8).
 * <pre>
 *   java ... dev.quant4j.train.examples.TrainFashionCnn [data-dir] [out-dir] [epochs] [c1] [c2] [seed]
 * </pre>
 */
public final class TrainFashionCnn {
    private TrainFashionCnn() {}

    public static final String MODEL_FILE = "fashion-cnn.onnx", SLICE_IMAGES = "fashion-eval-images.npy", SLICE_LABELS = "fashion-eval-labels.npy";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(arg(args, 0, "../shared/testdata/datasets/fashion-mnist"));
        Path out = Path.of(arg(args, 1, "quant4j-train/src/main/resources/dev/quant4j/models"));
        int epochs = Integer.parseInt(arg(args, 2, "4")), c1 = Integer.parseInt(arg(args, 3, "16")), c2 = Integer.parseInt(arg(args, 4, "32"));
        long seed = Long.parseLong(arg(args, 5, "20261126"));
        int batch = 64;
        ImageSet train = ImageSet.load(IdxDataset.fashionMnist(data, "train"), Integer.MAX_VALUE);
        ImageSet test = ImageSet.load(IdxDataset.fashionMnist(data, "t10k"), Integer.MAX_VALUE);
        Map<String, float[]> p = FashionCnn.init(c1, c2, seed);
        long stepsPerEpoch = (train.size() + batch - 1) / batch, total = stepsPerEpoch * epochs;
        Schedule lr = Schedule.warmupCosine(2e-3, 1e-5, 200, total);
        Set<String> noDecay = Set.of("bn1.scale", "bn1.bias", "bn2.scale", "bn2.bias", "fc.b");
        long t0 = System.nanoTime();
        try (Trainer t = new Trainer(FashionCnn.build(p, true), FashionCnn.trainable(), FashionCnn.runningStatOutputs(),
                AdamW.defaults(1e-4, noDecay), SessionOptions.defaults())) {
            long step = 0;
            for (int e = 0; e < epochs; e++) {
                int[] order = Permutation.of(train.size(), seed + e);
                double lossSum = 0;
                int correct = 0, seen = 0;
                long te = System.nanoTime();
                t.resetTiming();
                for (int from = 0; from < order.length; from += batch) {
                    int to = Math.min(order.length, from + batch);
                    int[] labels = new int[to - from];
                    for (int i = from; i < to; i++) labels[i - from] = train.labels()[order[i]];
                    CrossEntropy.Result r = t.step(train.gather(order, from, to), train.batchShape(to - from), labels, lr.at(step++));
                    lossSum += r.loss() * (to - from);
                    correct += r.correct();
                    seen += to - from;
                    if (step % 200 == 0)
                        System.out.printf("epoch %d step %d/%d  loss %.4f  train acc %.4f  lr %.2e  %.0f img/s%n", e + 1, step, total,
                                lossSum / seen, (double) correct / seen, lr.at(step), seen / ((System.nanoTime() - te) / 1e9));
                }
                Trainer.Timing tm = t.timing();
                double secs = (System.nanoTime() - te) / 1e9;
                System.out.printf("epoch %d done in %.1f s: loss %.4f train acc %.4f | forward %.1f s, backward %.1f s, optimizer %.1f s%n",
                        e + 1, secs, lossSum / seen, (double) correct / seen, tm.forwardNanos() / 1e9, tm.backwardNanos() / 1e9, tm.optimizerNanos() / 1e9);
            }
            // the trainer holds its own copies of the parameters (the graph's initializers were copied)
            t.params().forEach((k, v) -> p.put(k, v.clone()));
        }
        System.out.printf("training took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Model m = FashionCnn.build(p, false);
        m.setDocString("Built-in quant4j example: a small CNN trained from scratch by quant4j-train (TrainFashionCnn, seed " + seed + ", " + epochs + " epochs) on Fashion-MNIST.");
        Files.createDirectories(out);
        OnnxWriter.write(m, out.resolve(MODEL_FILE));
        writeSlice(test, 1000, out);
        System.out.printf("fp32 test accuracy %.4f; wrote %s%n", Evaluation.accuracy(m, test, 500), out.resolve(MODEL_FILE));
    }

    /** The first {@code n} test images as uint8 [n,28,28] and their labels as uint8 [n], each through a temporary file. */
    static void writeSlice(ImageSet test, int n, Path dir) throws Exception {
        int sz = test.itemSize();
        double[] px = new double[n * sz], lb = new double[n];
        for (int i = 0; i < n * sz; i++) px[i] = Math.round(test.pixels()[i] * 255f);
        for (int i = 0; i < n; i++) lb[i] = test.labels()[i];
        long[] shape = test.batchShape(n);
        Npy.write(dir.resolve(SLICE_IMAGES), NpyArray.of(NpyDtype.U1, new long[] {n, shape[2], shape[3]}, px));
        Npy.write(dir.resolve(SLICE_LABELS), NpyArray.of(NpyDtype.U1, new long[] {n}, lb));
    }

    static String arg(String[] a, int i, String d) { return a.length > i ? a[i] : d; }
}
