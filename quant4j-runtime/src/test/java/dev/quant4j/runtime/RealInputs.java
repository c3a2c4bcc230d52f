package dev.quant4j.runtime;

import dev.quant4j.data.Sample;
import dev.quant4j.data.audio.LibriVox;
import dev.quant4j.data.faces.LfwSubset;
import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.data.text.PpOcrInput;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.data.text.TextLineRenderer;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.HfWordPiece;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real inputs for the models of the differential tests and the benchmark, made by quant4j-data
 * from the shared test data: rendered Brown-corpus text lines for PP-OCR, lfw_subset faces for
 * BlazeFace, LibriVox speech for openWakeWord and Silero VAD, tokenized Brown sentences for MiniLM.
 */
public final class RealInputs {
    private RealInputs() {}

    public static final String MINILM = "all-minilm-l6-v2.onnx", MINILM_Q = "all-minilm-l6-v2-q.onnx";

    static List<String> brown(int count) {
        return BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), count).stream()
                .map(BrownCorpus::detokenize).toList();
    }

    /** {@code batch} rendered lines as one [N, 3, 48, W] tensor (classifier: W = 192; recognizer: 320). */
    public static Map<String, Tensor> ppocr(boolean recognizer, int batch) {
        List<String> lines = new ArrayList<>();
        for (String s : brown(40)) for (String l : BrownCorpus.cutIntoLines(s, 24)) if (lines.size() < batch) lines.add(l);
        TextLineDataset d = new TextLineDataset(lines, new TextLineRenderer(TextLineRenderer.FALLBACK),
                recognizer ? TextLineDataset.Task.RECOGNITION : TextLineDataset.Task.DIRECTION,
                recognizer ? PpOcrInput.REC_MIN_WIDTH : PpOcrInput.CLS_WIDTH, 7);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < batch; i++) samples.add(d.get(i));
        return Map.of("x", stack(samples));
    }

    /** Face {@code index} of lfw_subset as BlazeFace's [1, 128, 128, 3] input. */
    public static Map<String, Tensor> blazeFace(int index) {
        Sample s = LfwSubset.open(TestData.require("datasets/images/lfw_subset.npy")).blazeFace().get(index);
        return Map.of("input:0", stack(List.of(s)));
    }

    /** {@code samples} samples of the first LibriVox recording, scaled to int16 range as openWakeWord feeds them. */
    public static float[] speech(int samples) {
        float[] x = LibriVox.open(TestData.require("datasets/speech/librivox")).get(0).data();
        float[] out = new float[samples];
        for (int i = 0; i < samples && i < x.length; i++) out[i] = x[i];
        return out;
    }

    public static Map<String, Tensor> melspectrogram(int samples) {
        float[] x = speech(samples);
        for (int i = 0; i < x.length; i++) x[i] *= 32767f;
        return Map.of("input", Tensor.of(x, 1, x.length));
    }

    /**
     * The embedding model's [1, 76, 32, 1] input: the first 76 mel frames of {@code mel} (the
     * melspectrogram model's output [time, 1, frames, 32]) scaled as openWakeWord does (x / 10 + 2).
     */
    public static Map<String, Tensor> embedding(Tensor mel) {
        float[] m = mel.floats();
        if (m.length < 76 * 32) throw new IllegalArgumentException("need 76 mel frames, got " + m.length / 32);
        float[] x = new float[76 * 32];
        for (int i = 0; i < x.length; i++) x[i] = m[i] / 10f + 2f;
        return Map.of("input_1", Tensor.of(x, 1, 76, 32, 1));
    }

    /** Silero VAD's inputs for chunk {@code chunk} of 512 samples with 64 samples of context before it. */
    public static Map<String, Tensor> silero(float[] speech, int chunk, Tensor state) {
        float[] x = new float[576];
        int start = chunk * 512 - 64;
        for (int i = 0; i < 576; i++) x[i] = start + i >= 0 ? speech[start + i] : 0f;
        return Map.of("input", Tensor.of(x, 1, 576), "state", state, "sr", Tensor.ofLongs(new long[] {16000}));
    }

    /** WordPiece from the model's tokenizer.json (uncased, as all-MiniLM-L6-v2). */
    public static WordPiece miniLmTokenizer(Path tokenizerJson) throws IOException {
        return HfWordPiece.read(tokenizerJson);
    }

    /** {@code batch} Brown sentences as [CLS] … [SEP], padded to the longest, with mask and zero token types. */
    public static Map<String, Tensor> miniLm(WordPiece tok, int batch, int firstSentence) {
        List<String> sentences = brown(firstSentence + batch).subList(firstSentence, firstSentence + batch);
        List<int[]> ids = new ArrayList<>();
        int len = 0;
        for (String s : sentences) {
            int[] t = tok.encode(s, true, false);
            if (t.length > 128) t = java.util.Arrays.copyOf(t, 128);
            ids.add(t);
            len = Math.max(len, t.length);
        }
        long[] in = new long[batch * len], mask = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            int[] t = ids.get(b);
            for (int i = 0; i < t.length; i++) { in[b * len + i] = t[i]; mask[b * len + i] = 1; }
        }
        return Map.of("input_ids", Tensor.ofLongs(in, batch, len), "attention_mask", Tensor.ofLongs(mask, batch, len),
                "token_type_ids", Tensor.ofLongs(new long[batch * len], batch, len));
    }

    static Tensor stack(List<Sample> samples) {
        long[] s = samples.get(0).shape();
        int n = samples.get(0).data().length;
        float[] all = new float[n * samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).data().length != n) throw new IllegalArgumentException("samples differ in size");
            System.arraycopy(samples.get(i).data(), 0, all, i * n, n);
        }
        long[] shape = new long[s.length + 1];
        shape[0] = samples.size();
        System.arraycopy(s, 0, shape, 1, s.length);
        return Tensor.of(all, shape);
    }
}
