package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HalfPrecisionWeightsTest {
    @TempDir Path tmp;

    @Test
    void overflowAndSubnormalsAreDetected() {
        assertNull(HalfPrecisionWeights.fp16Problem(new float[] {1f, -65504f, 0f, 1e-3f}, 0.01));
        assertTrue(HalfPrecisionWeights.fp16Problem(new float[] {1f, 70000f}, 0.01).contains("overflows fp16"));
        // 2^-14 is the smallest normal half; 1e-5 lies below it
        assertTrue(HalfPrecisionWeights.fp16Problem(new float[] {1f, 1e-5f, 2f, 3f}, 0.2).contains("25.00% of non-zero values"));
        assertNull(HalfPrecisionWeights.fp16Problem(new float[] {1f, 1e-5f, 2f, 3f}, 0.3));
        assertNull(HalfPrecisionWeights.fp16Problem(new float[] {1f, 0x1p-14f, 2f, 3f}, 0.0));
    }

    @Test
    void miniLmFp16AndBf16WeightsInOnnxRuntime() throws Exception {
        Path fp32 = MiniLm.model(tmp);
        WordPiece tok = MiniLm.tokenizer(tmp);
        List<String> sentences = MiniLm.brown(32);
        double[][] ref;
        try (Ort ort = new Ort(fp32)) { ref = MiniLm.embed(ort, tok, sentences); }
        for (Precision p : new Precision[] {Precision.FP16, Precision.BF16}) {
            Path q = tmp.resolve(p.id() + ".onnx");
            QuantizationReport r;
            try (Model m = OnnxReader.read(fp32)) {
                r = HalfPrecisionWeights.apply(m, PrecisionPolicy.uniform(p), 0.01);
                OnnxWriter.write(m, q);
            }
            double[] c;
            try (Ort cand = new Ort(q)) { c = MiniLm.cosines(ref, cand, tok, sentences); }
            double mean = Arrays.stream(c).average().orElseThrow(), min = Arrays.stream(c).min().orElseThrow();
            long keptForRange = r.entries().stream().filter(e -> e.reason().contains("kept float32")).count();
            System.out.printf("MiniLM %s weights: mean cosine %.6f, min %.6f over %d sentences; %d -> %d bytes; %d nodes converted, %d with a tensor kept fp32%n",
                    p.id(), mean, min, c.length, Files.size(fp32), Files.size(q), r.count(QuantizationReport.Outcome.QUANTIZED), keptForRange);
            assertTrue(min >= (p == Precision.FP16 ? 0.9999 : 0.999), p + ": min cosine " + min);
            assertTrue(Files.size(q) < 0.55 * Files.size(fp32), p + ": " + Files.size(q) + " bytes");
            // 36 projections + their 36 bias Adds + word/position/type embeddings + LayerNorm scales and shifts all have weights
            assertTrue(r.count(QuantizationReport.Outcome.QUANTIZED) >= 75, r.toString());
        }
    }
}
