package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic INT8 MiniLM against the float32 model in ONNX Runtime: mean-pooled sentence embeddings
 * over 300 Brown sentences (the measure), and the same file run by quant4j's runtime.
 */
class DynamicMiniLmTest {
    @TempDir Path tmp;

    @Test
    void miniLmDynamicInt8PerChannel() throws Exception {
        Path fp32 = MiniLm.model(tmp), q = tmp.resolve("dynamic.onnx");
        WordPiece tok = MiniLm.tokenizer(tmp);
        List<String> sentences = MiniLm.brown(300);
        QuantizationReport r;
        try (Model m = OnnxReader.read(fp32)) {
            r = DynamicQuantizer.apply(m, PrecisionPolicy.uniform(Precision.INT8_DYNAMIC), DynamicQuantizer.Options.defaults());
            OnnxWriter.write(m, q);
        }
        assertEquals(36, r.count(QuantizationReport.Outcome.QUANTIZED), r.toJson());
        assertEquals(12, r.count(QuantizationReport.Outcome.KEPT), r.toJson()); // QK^T and PV: no constant weight
        double[] c;
        try (Ort ref = new Ort(fp32); Ort cand = new Ort(q)) {
            c = MiniLm.cosines(MiniLm.embed(ref, tok, sentences), cand, tok, sentences);
        }
        double mean = Arrays.stream(c).average().orElseThrow(), min = Arrays.stream(c).min().orElseThrow();
        System.out.printf("MiniLM dynamic int8 per-channel: mean cosine %.5f, min %.5f over %d Brown sentences; %d -> %d bytes%n",
                mean, min, c.length, Files.size(fp32), Files.size(q));
        assertTrue(mean >= 0.99 && min >= 0.97, "mean " + mean + ", min " + min);
        assertTrue(Files.size(q) < Files.size(fp32));

        // quant4j's runtime executes the same file; with reduced-range weights ONNX Runtime's AVX2
        // u8s8 kernel does not saturate, so the two engines agree closely
        Map<String, Tensor> f = MiniLm.feeds(tok, sentences.subList(0, 4));
        try (Ort ort = new Ort(q); Model m = OnnxReader.read(q); Session s = Session.create(m)) {
            double[][] a = MiniLm.embeddings(ort.run(f), f), b = MiniLm.embeddings(s.run(f).get("last_hidden_state").floats(), f);
            for (int i = 0; i < a.length; i++) assertTrue(MiniLm.cosine(a[i], b[i]) > 0.999, "sentence " + i + ": " + MiniLm.cosine(a[i], b[i]));
        }
    }
}
