package dev.quant4j.data.text;

import static org.junit.jupiter.api.Assertions.*;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.data.Sample;
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
 * The rendered lines and their PP-OCR preprocessing are checked by the models themselves, run in
 * ONNX Runtime: if the renderer, the resize, the normalization or the padding were off, the
 * recognizer's character error rate and the direction classifier's accuracy would show it.
 */
class PpOcrOracleTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    static List<String> brownLines(int sentences, int maxChars) {
        List<String> lines = new ArrayList<>();
        for (String s : BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), sentences))
            lines.addAll(BrownCorpus.cutIntoLines(BrownCorpus.detokenize(s), maxChars));
        return lines;
    }

    static float[][] run(OrtSession session, Sample s) throws OrtException {
        long[] shape = new long[s.shape().length + 1];
        shape[0] = 1;
        System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
        try (OnnxTensor x = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(s.data()), shape);
             OrtSession.Result r = session.run(Map.of("x", x))) {
            return ((float[][][]) r.get(0).getValue())[0];
        }
    }

    /** Greedy CTC: best class per time step, repeats merged, blanks (0) dropped. */
    static String ctcGreedy(float[][] probs, List<String> keys) {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        for (float[] p : probs) {
            int best = 0;
            for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
            if (best != prev && best != 0) sb.append(best == keys.size() + 1 ? " " : keys.get(best - 1));
            prev = best;
        }
        return sb.toString();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    @Test
    void recognizerReadsRenderedBrownLines() throws OrtException, IOException {
        Path model = TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx");
        List<String> keys = Files.readAllLines(TestData.require("models/ppocr/ppocr_keys_v1.txt"), StandardCharsets.UTF_8);
        List<String> lines = brownLines(12, 40);
        TextLineDataset ds = new TextLineDataset(lines, new TextLineRenderer("DejaVu Sans"), TextLineDataset.Task.RECOGNITION, 960, 1);
        long errors = 0, chars = 0;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession session = ENV.createSession(model.toString(), o)) {
                for (Sample s : ds) {
                    String got = ctcGreedy(run(session, s), keys);
                    errors += editDistance(got, s.text());
                    chars += s.text().length();
                }
            }
        }
        double cer = (double) errors / chars;
        System.out.printf("PP-OCRv4 rec on %d rendered Brown lines (%d chars): CER %.4f%n", lines.size(), chars, cer);
        assertTrue(cer < 0.05, "character error rate " + cer);
    }

    @Test
    void directionClassifierSeesRotatedLines() throws OrtException {
        Path model = TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        List<String> lines = brownLines(20, 24);
        TextLineDataset ds = new TextLineDataset(lines, new TextLineRenderer("DejaVu Sans"), TextLineDataset.Task.DIRECTION, 960, 2);
        int right = 0;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession session = ENV.createSession(model.toString(), o)) {
                for (Sample s : ds) {
                    float[] p = run2(session, s);
                    if ((p[1] > p[0] ? 1 : 0) == s.label()) right++;
                }
            }
        }
        double acc = (double) right / ds.size();
        System.out.printf("PP-OCR cls on %d rendered lines, about half rotated: accuracy %.4f%n", ds.size(), acc);
        assertTrue(acc > 0.9, "direction accuracy " + acc);
    }

    static float[] run2(OrtSession session, Sample s) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(s.data()), new long[] {1, 3, 48, 192});
             OrtSession.Result r = session.run(Map.of("x", x))) {
            return ((float[][]) r.get(0).getValue())[0];
        }
    }
}
