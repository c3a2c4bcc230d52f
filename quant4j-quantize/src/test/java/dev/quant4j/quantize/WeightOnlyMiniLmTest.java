package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.WeightOnlyQuantizer.Format;
import dev.quant4j.quantize.WeightOnlyQuantizer.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight-only MiniLM: every MatMul with a constant weight quantized, written as MatMulNBits or as
 * opset-21 blocked DequantizeLinear, run by ONNX Runtime and compared with the float32 model's
 * sentence embeddings (cosine) on Brown sentences; the file must be smaller on disk.
 */
class WeightOnlyMiniLmTest {
    @TempDir static Path tmp;
    static Path fp32;
    static double[][] reference;
    static WordPiece tok;
    static List<String> sentences;

    @BeforeAll
    static void setUp() throws Exception {
        fp32 = MiniLm.model(tmp);
        tok = MiniLm.tokenizer(tmp);
        sentences = MiniLm.brown(32);
        try (Ort ort = new Ort(fp32)) { reference = MiniLm.embed(ort, tok, sentences); }
    }

    private static Path quantize(String name, Precision p, Options o) throws Exception {
        Path out = tmp.resolve(name);
        try (Model m = OnnxReader.read(fp32)) {
            QuantizationReport r = WeightOnlyQuantizer.apply(m, PrecisionPolicy.uniform(p), o);
            // 36 projections (Q, K, V, output, two FFN) in 6 layers; the attention score MatMuls have no constant weight
            assertEquals(36, r.count(QuantizationReport.Outcome.QUANTIZED), r.toJson());
            OnnxWriter.write(m, out);
        }
        return out;
    }

    private static double[] check(String name, Path q, double minMean, double minMin) throws Exception {
        double[] c;
        try (Ort cand = new Ort(q)) { c = MiniLm.cosines(reference, cand, tok, sentences); }
        double mean = Arrays.stream(c).average().orElseThrow(), min = Arrays.stream(c).min().orElseThrow();
        long size = Files.size(q), size32 = Files.size(fp32);
        System.out.printf("%s: mean cosine %.5f, min %.5f over %d sentences; %d -> %d bytes (%.3fx)%n",
                name, mean, min, c.length, size32, size, (double) size / size32);
        assertTrue(mean >= minMean && min >= minMin, name + ": mean " + mean + ", min " + min);
        assertTrue(size < size32, name + " is not smaller");
        return c;
    }

    @Test
    void int4MatMulNBitsSymmetric() throws Exception {
        check("int4 MatMulNBits sym bs32", quantize("nbits4s.onnx", Precision.INT4_WEIGHT, new Options(32, true, Format.MATMUL_NBITS)), 0.94, 0.90);
    }

    @Test
    void int4MatMulNBitsZeroPointsAlsoRunsInQuant4j() throws Exception {
        Path q = quantize("nbits4a.onnx", Precision.INT4_WEIGHT, new Options(32, false, Format.MATMUL_NBITS));
        check("int4 MatMulNBits zp bs32", q, 0.96, 0.93);
        // quant4j's runtime executes the same file: its embeddings agree with ONNX Runtime's on it
        double agreement = MiniLm.enginesAgreement(q, tok, sentences.subList(0, 4));
        assertTrue(agreement > 0.9999, "quant4j vs ONNX Runtime: min cosine " + agreement);
    }

    @Test
    void int8MatMulNBits() throws Exception {
        check("int8 MatMulNBits sym bs64", quantize("nbits8.onnx", Precision.INT8_WEIGHT, new Options(64, true, Format.MATMUL_NBITS)), 0.999, 0.995);
    }

    @Test
    void int4BlockedDequantizeLinear() throws Exception {
        Path q = quantize("dq4.onnx", Precision.INT4_WEIGHT, new Options(32, false, Format.BLOCKED_DEQUANTIZE));
        try (Model m = OnnxReader.read(q)) {
            assertEquals(21, m.onnxOpset());
            String provenance = m.metadata().get("quant4j.quantization.weight-only-BLOCKED_DEQUANTIZE");
            assertTrue(provenance != null && provenance.contains("policy default; 4-bit blocks of 32"), String.valueOf(provenance));
        }
        check("int4 blocked DQ zp bs32", q, 0.96, 0.93);
    }
}
