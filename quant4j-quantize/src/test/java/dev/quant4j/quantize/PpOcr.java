package dev.quant4j.quantize;

import dev.quant4j.data.Sample;
import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.eval.CtcGreedyDecoder;
import dev.quant4j.graph.Tensor;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * PP-OCR on Brown corpus lines rendered by quant4j-data (exact ground truth). Evaluation lines come
 * from the first sentences of the corpus, calibration lines from sentences far behind them
 * ({@link #CALIBRATION_START}), and any calibration line equal to an evaluation line is dropped, so
 * the two sets are disjoint.
 */
final class PpOcr {
    static { System.setProperty("java.awt.headless", "true"); }

    static final String FONT = "DejaVu Sans";
    static final int MAX_WIDTH = 960;
    static final int CALIBRATION_START = 20_000;

    private PpOcr() {}

    static Path recognizer() { return TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx"); }

    static Path classifier() { return TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"); }

    private static Path brown() { return TestData.require("datasets/text/brown_sentences.txt.gz"); }

    /** The first {@code count} lines (at most {@code maxChars} each) cut from the corpus' first sentences. */
    static List<String> evaluationLines(int count, int maxChars) {
        return lines(0, count, maxChars, Set.of());
    }

    /** {@code count} lines from sentences at {@link #CALIBRATION_START} on, none equal to an evaluation line. */
    static List<String> calibrationLines(int count, int maxChars, List<String> evaluation) {
        return lines(CALIBRATION_START, count, maxChars, new HashSet<>(evaluation));
    }

    private static List<String> lines(int skip, int count, int maxChars, Set<String> exclude) {
        List<String> out = new ArrayList<>();
        try (Stream<String> s = BrownCorpus.sentences(brown())) {
            var it = s.skip(skip).iterator();
            while (out.size() < count && it.hasNext())
                for (String l : BrownCorpus.cutIntoLines(BrownCorpus.detokenize(it.next()), maxChars))
                    if (out.size() < count && !exclude.contains(l)) out.add(l);
        }
        return out;
    }

    /** Rendered recognizer inputs, seeded so that every run renders the same pixels. */
    static TextLineDataset recognition(List<String> lines, long seed) {
        return new TextLineDataset(lines, new TextLineRenderer(FONT), TextLineDataset.Task.RECOGNITION, MAX_WIDTH, seed);
    }

    /** Rendered direction-classifier inputs; about half of them are rotated by 180° (label 1). */
    static TextLineDataset direction(List<String> lines, long seed) {
        return new TextLineDataset(lines, new TextLineRenderer(FONT), TextLineDataset.Task.DIRECTION, MAX_WIDTH, seed);
    }

    /** The model feed for one sample: a batch of one. */
    static Map<String, Tensor> feed(Sample s) {
        long[] shape = new long[s.shape().length + 1];
        shape[0] = 1;
        System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
        return Map.of("x", Tensor.of(s.data(), shape));
    }

    /** Recognizer lines run together: inputs padded on the right (with 0, PP-OCR's padding value) to the widest. */
    record LineBatch(Map<String, Tensor> feed, List<String> texts) {}

    /**
     * The data set in batches of up to {@code size} lines of similar width (sorted by width, as
     * PaddleOCR batches), so that little padding is added; every model sees the same batches.
     */
    static List<LineBatch> batches(TextLineDataset ds, int size) {
        List<Sample> all = new ArrayList<>();
        for (Sample s : ds) all.add(s);
        all.sort(java.util.Comparator.comparingLong(s -> s.shape()[2]));
        List<LineBatch> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            List<Sample> part = all.subList(from, Math.min(all.size(), from + size));
            int w = (int) part.get(part.size() - 1).shape()[2], rows = 3 * 48;
            float[] x = new float[part.size() * rows * w];
            List<String> texts = new ArrayList<>();
            for (int b = 0; b < part.size(); b++) {
                Sample s = part.get(b);
                int sw = (int) s.shape()[2];
                for (int r = 0; r < rows; r++) System.arraycopy(s.data(), r * sw, x, (b * rows + r) * w, sw);
                texts.add(s.text());
            }
            out.add(new LineBatch(Map.of("x", Tensor.of(x, part.size(), 3, 48, w)), texts));
        }
        return out;
    }

    /** Greedy CTC decoding of the recognizer's output (index 0 blank, 1..n the key file, n+1 a space). */
    static final class Decoder {
        private final List<String> keys;
        private final CtcGreedyDecoder ctc = new CtcGreedyDecoder(0);

        Decoder() {
            try {
                keys = Files.readAllLines(TestData.require("models/ppocr/ppocr_keys_v1.txt"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        int classes() { return keys.size() + 2; }

        /** One string per line of a batch output [batch][steps][classes]. */
        List<String> decodeBatch(float[] probs, int batch) {
            int per = probs.length / batch;
            List<String> out = new ArrayList<>();
            for (int b = 0; b < batch; b++) out.add(decode(java.util.Arrays.copyOfRange(probs, b * per, (b + 1) * per)));
            return out;
        }

        String decode(float[] probs) {
            int c = classes();
            if (probs.length % c != 0) throw new IllegalArgumentException("output of " + probs.length + " values is not steps x " + c);
            return ctc.decodeText(probs, probs.length / c, c, id -> id == keys.size() + 1 ? " " : keys.get(id - 1));
        }
    }
}
