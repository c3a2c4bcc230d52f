package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.data.Sample;
import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics on real models: PP-OCR's recognizer and direction classifier, run in ONNX Runtime on
 * Brown corpus lines rendered by quant4j-data (so the ground truth is exact). Each line is rendered
 * in two fonts, which gives two conditions on the same samples for a paired comparison.
 */
class PpOcrMetricsTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    static final String SANS = "DejaVu Sans", SERIF = "DejaVu Serif";

    static List<String> lines(int sentences, int maxChars) {
        List<String> lines = new ArrayList<>();
        for (String s : BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), sentences))
            lines.addAll(BrownCorpus.cutIntoLines(BrownCorpus.detokenize(s), maxChars));
        return lines;
    }

    static OrtSession session(Path model) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            return ENV.createSession(model.toString(), o);
        }
    }

    /** Output 0 of the model on one sample, flattened, with its shape. */
    static float[] run(OrtSession session, Sample s, long[] shapeOut) throws OrtException {
        long[] shape = new long[s.shape().length + 1];
        shape[0] = 1;
        System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
        try (OnnxTensor x = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(s.data()), shape);
             OrtSession.Result r = session.run(Map.of("x", x))) {
            OnnxTensor y = (OnnxTensor) r.get(0);
            long[] ys = y.getInfo().getShape();
            System.arraycopy(ys, 0, shapeOut, 0, Math.min(ys.length, shapeOut.length));
            FloatBuffer fb = y.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    @Test
    void recognizerCharacterAndWordErrorRatesWithPairedFontComparison() throws OrtException, IOException {
        Path model = TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx");
        List<String> keys = Files.readAllLines(TestData.require("models/ppocr/ppocr_keys_v1.txt"), StandardCharsets.UTF_8);
        List<String> lines = lines(6, 40);
        CtcGreedyDecoder ctc = new CtcGreedyDecoder(0);
        // index 0 is the blank, 1..keys are the dictionary, the last index is a space
        java.util.function.IntFunction<String> symbol = id -> id == keys.size() + 1 ? " " : keys.get(id - 1);
        ErrorRate[] cer = {ErrorRate.characters(), ErrorRate.characters()};
        ErrorRate[] wer = {ErrorRate.words(), ErrorRate.words()};
        String[] fonts = {SANS, SERIF};
        try (OrtSession session = session(model)) {
            for (int f = 0; f < 2; f++) {
                TextLineDataset ds = new TextLineDataset(lines, new TextLineRenderer(fonts[f]), TextLineDataset.Task.RECOGNITION, 960, 1);
                for (Sample s : ds) {
                    long[] shape = new long[3];
                    float[] probs = run(session, s, shape);
                    String got = ctc.decodeText(probs, (int) shape[1], (int) shape[2], symbol);
                    cer[f].add(s.text(), got);
                    wer[f].add(s.text(), got);
                }
            }
        }
        Bootstrap bs = Bootstrap.of(2026);
        MetricResult cerSans = cer[0].result(bs), werSans = wer[0].result(bs);
        PairedComparison fontsCer = PairedComparison.of(cer[0].statistic(), cer[1].statistic(), bs);
        MetricResult unpaired = bs.unpairedDifference(cer[0].statistic(), cer[1].statistic());
        System.out.printf("PP-OCRv4 rec, %d Brown lines: CER %s; WER %s; CER %s - %s: paired %s, unpaired width %.4g%n",
                lines.size(), cerSans, werSans, SANS, SERIF, fontsCer.difference(), unpaired.width());
        // PP-OCRv4 reads clean rendered English nearly perfectly (quant4j-data's oracle test: CER < 5%)
        assertTrue(cerSans.value() < 0.05, cerSans.toString());
        assertTrue(cerSans.ciLow() <= cerSans.value() && cerSans.value() <= cerSans.ciHigh());
        assertTrue(werSans.value() < 0.1, werSans.toString());
        assertTrue(werSans.ciLow() <= werSans.value() && werSans.value() <= werSans.ciHigh());
        assertEquals(cer[0].statistic().value() - cer[1].statistic().value(), fontsCer.difference().value(), 1e-15);
        assertEquals(lines.size(), fontsCer.difference().n());
    }

    @Test
    void directionClassifierAccuracyAucAndF1() throws OrtException {
        Path model = TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        List<String> lines = lines(20, 24);
        TopKAccuracy[] acc = {TopKAccuracy.top1(), TopKAccuracy.top1()};
        ClassificationCounts f1 = new ClassificationCounts(2);
        double[] score = new double[lines.size()];
        boolean[] rotated = new boolean[lines.size()];
        String[] fonts = {SANS, SERIF};
        try (OrtSession session = session(model)) {
            for (int f = 0; f < 2; f++) {
                TextLineDataset ds = new TextLineDataset(lines, new TextLineRenderer(fonts[f]), TextLineDataset.Task.DIRECTION, 960, 2);
                for (int i = 0; i < ds.size(); i++) {
                    Sample s = ds.get(i);
                    float[] p = run(session, s, new long[2]);
                    acc[f].add(p, s.label());
                    if (f == 0) {
                        f1.add(s.label(), Distributions.argmax(p, 0, 2));
                        score[i] = p[1];
                        rotated[i] = s.label() == 1;
                    }
                }
            }
        }
        Bootstrap bs = Bootstrap.of(7);
        MetricResult accuracy = acc[0].result(bs), wilson = acc[0].wilson(0.95);
        MetricResult auc = bs.percentile(new RocAuc(score, rotated));
        MetricResult macroF1 = bs.bca(f1.macroF1());
        PairedComparison fonts2 = PairedComparison.accuracy(acc[0].hits(), acc[1].hits(), bs);
        System.out.printf("PP-OCR cls, %d lines: accuracy %s, Wilson %s; AUC %s; macro F1 (BCa) %s; accuracy %s - %s: %s, McNemar %s%n",
                lines.size(), accuracy, wilson, auc, macroF1, SANS, SERIF, fonts2.difference(), fonts2.mcNemar());
        assertTrue(accuracy.value() > 0.9, accuracy.toString());
        assertTrue(auc.value() > 0.9, auc.toString());
        assertTrue(macroF1.value() > 0.9, macroF1.toString());
        assertTrue(accuracy.ciLow() <= accuracy.value() && accuracy.value() <= accuracy.ciHigh());
        assertTrue(wilson.ciLow() < wilson.value() || wilson.value() == 0, "Wilson keeps a width at the boundary: " + wilson);
        assertTrue(fonts2.mcNemar().pValue() > 0 && fonts2.mcNemar().pValue() <= 1);
    }
}
