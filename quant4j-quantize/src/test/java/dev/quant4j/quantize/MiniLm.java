package dev.quant4j.quantize;

import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.HfWordPiece;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 from its Maven Central test dependency, Brown sentences tokenized with
 * quant4j-llm's WordPiece, and sentence embeddings as the model card defines them (mean over the
 * attention mask of last_hidden_state).
 */
final class MiniLm {
    private MiniLm() {}

    static Path model(Path dir) throws IOException { return resource("all-minilm-l6-v2.onnx", dir); }

    static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("classpath resource " + name + " not found");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    static WordPiece tokenizer(Path dir) throws IOException {
        return HfWordPiece.read(resource("all-minilm-l6-v2-tokenizer.json", dir));
    }

    static List<String> brown(int count) {
        return BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), count).stream().map(BrownCorpus::detokenize).toList();
    }

    /** Feeds for {@code sentences}: [CLS] … [SEP] (at most 128 tokens), padded to the longest. */
    static Map<String, Tensor> feeds(WordPiece tok, List<String> sentences) {
        List<int[]> ids = new ArrayList<>();
        int len = 0;
        for (String s : sentences) {
            int[] t = tok.encode(s, true, false);
            if (t.length > 128) t = java.util.Arrays.copyOf(t, 128);
            ids.add(t);
            len = Math.max(len, t.length);
        }
        int batch = sentences.size();
        long[] in = new long[batch * len], mask = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            int[] t = ids.get(b);
            for (int i = 0; i < t.length; i++) { in[b * len + i] = t[i]; mask[b * len + i] = 1; }
        }
        return Map.of("input_ids", Tensor.ofLongs(in, batch, len), "attention_mask", Tensor.ofLongs(mask, batch, len),
                "token_type_ids", Tensor.ofLongs(new long[batch * len], batch, len));
    }

    /** Mean-pooled sentence embeddings [batch][384] of last_hidden_state {@code h} [batch, len, 384]. */
    static double[][] embeddings(float[] h, Map<String, Tensor> feeds) {
        long[] mask = feeds.get("attention_mask").longs();
        int batch = (int) feeds.get("attention_mask").dim(0), len = (int) feeds.get("attention_mask").dim(1), d = h.length / (batch * len);
        double[][] e = new double[batch][d];
        for (int b = 0; b < batch; b++) {
            int count = 0;
            for (int i = 0; i < len; i++) {
                if (mask[b * len + i] == 0) continue;
                count++;
                for (int j = 0; j < d; j++) e[b][j] += h[(b * len + i) * d + j];
            }
            for (int j = 0; j < d; j++) e[b][j] /= count;
        }
        return e;
    }

    /** Smallest cosine between ONNX Runtime's and quant4j's runtime's sentence embeddings of {@code model} on {@code sentences}. */
    static double enginesAgreement(Path model, WordPiece tok, List<String> sentences) throws Exception {
        Map<String, Tensor> f = feeds(tok, sentences);
        try (Ort ort = new Ort(model); dev.quant4j.graph.Model m = dev.quant4j.onnx.OnnxReader.read(model);
             dev.quant4j.runtime.Session s = dev.quant4j.runtime.Session.create(m)) {
            double[][] a = embeddings(ort.run(f), f), b = embeddings(s.run(f).get("last_hidden_state").floats(), f);
            double min = 1;
            for (int i = 0; i < a.length; i++) min = Math.min(min, cosine(a[i], b[i]));
            return min;
        }
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.sqrt(aa * bb);
    }

    /** Sentence embeddings of {@code model} over {@code sentences}, in batches of 16. */
    static double[][] embed(Ort model, WordPiece tok, List<String> sentences) throws Exception {
        double[][] e = new double[sentences.size()][];
        for (int s = 0; s < sentences.size(); s += 16) {
            Map<String, Tensor> f = feeds(tok, sentences.subList(s, Math.min(sentences.size(), s + 16)));
            double[][] r = embeddings(model.run(f), f);
            System.arraycopy(r, 0, e, s, r.length);
        }
        return e;
    }

    /** Cosines between reference embeddings and those of {@code candidate} on the same sentences. */
    static double[] cosines(double[][] reference, Ort candidate, WordPiece tok, List<String> sentences) throws Exception {
        double[][] q = embed(candidate, tok, sentences);
        double[] c = new double[q.length];
        for (int i = 0; i < c.length; i++) c[i] = cosine(reference[i], q[i]);
        return c;
    }
}
