package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.WeightOnlyQuantizer.Format;
import dev.quant4j.quantize.WeightOnlyQuantizer.Options;
import dev.quant4j.quantize.optimize.ClipSearchRounding;
import dev.quant4j.quantize.optimize.GptqRounding;
import dev.quant4j.quantize.optimize.InputHessian;
import dev.quant4j.quantize.optimize.LayerInputs;
import dev.quant4j.quantize.optimize.WeightInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INT4 weight-only MiniLM (every projection, blocks of 32) rounded three ways on the same model and
 * judged on the same 300 Brown sentences in ONNX Runtime (cosine of mean-pooled embeddings to
 * fp32): round-to-nearest, the data-free clip search, and GPTQ with Hessians from 64 other Brown
 * sentences (calibration and evaluation sentences are disjoint).
 */
class ErrorMinimizingWeightOnlyMiniLmTest {
    @TempDir static Path tmp;
    static Path fp32;
    static WordPiece tok;
    static List<String> eval, calib;
    static double[][] reference;

    @BeforeAll
    static void setUp() throws Exception {
        fp32 = MiniLm.model(tmp);
        tok = MiniLm.tokenizer(tmp);
        List<String> all = MiniLm.brown(364);
        eval = all.subList(0, 300);
        calib = all.subList(300, 364);
        try (Ort ref = new Ort(fp32)) { reference = MiniLm.embed(ref, tok, eval); }
    }

    private static double[] quantizeAndScore(String name, Options o, WeightOnlyQuantizer.Rounding rounding) throws Exception {
        Path out = tmp.resolve(name);
        try (Model m = OnnxReader.read(fp32)) {
            QuantizationReport r = WeightOnlyQuantizer.apply(m, PrecisionPolicy.uniform(Precision.INT4_WEIGHT), o, rounding);
            assertEquals(36, r.count(QuantizationReport.Outcome.QUANTIZED), r.toJson());
            OnnxWriter.write(m, out);
        }
        double[] c;
        try (Ort cand = new Ort(out)) { c = MiniLm.cosines(reference, cand, tok, eval); }
        double mean = Arrays.stream(c).average().orElseThrow(), min = Arrays.stream(c).min().orElseThrow();
        System.out.printf("MiniLM int4 %s bs%d %s, %s: mean cosine %.5f, min %.5f over %d Brown sentences; %d bytes%n",
                o.format(), o.blockSize(), o.symmetric() ? "sym" : "zp", rounding.name(), mean, min, c.length, Files.size(out));
        return new double[] {mean, min};
    }

    private static GptqRounding gptq;

    /** One GPTQ rounding for both tests: it factors each input's Hessian once (the 1536-wide ones cost most). */
    private static synchronized GptqRounding gptq() throws Exception {
        if (gptq != null) return gptq;
        List<Map<String, Tensor>> batches = new ArrayList<>();
        for (int s = 0; s < calib.size(); s += 16) batches.add(MiniLm.feeds(tok, calib.subList(s, Math.min(calib.size(), s + 16))));
        try (Model m = OnnxReader.read(fp32)) {
            Map<String, InputHessian> h = WeightInputs.hessians(m, PrecisionPolicy.uniform(Precision.INT4_WEIGHT), batches, LayerInputs.attentionMask("attention_mask"));
            assertEquals(4 * 6, h.size()); // Q/K/V share their input: 4 distinct inputs per layer
            return gptq = new GptqRounding(h, GptqRounding.DEFAULT_DAMP, true);
        }
    }

    @Test
    void clipSearchAndGptqBeatRoundToNearestSymmetric() throws Exception {
        Options o = new Options(32, true, Format.MATMUL_NBITS);
        double[] rtn = quantizeAndScore("rtn_s.onnx", o, WeightOnlyQuantizer.RTN);
        double[] clip = quantizeAndScore("clip_s.onnx", o, new ClipSearchRounding());
        double[] gptq = quantizeAndScore("gptq_s.onnx", o, gptq());
        assertTrue(clip[0] > rtn[0], "clip search mean " + clip[0] + " vs RTN " + rtn[0]);
        assertTrue(gptq[0] > rtn[0] && gptq[0] > clip[0], "GPTQ mean " + gptq[0] + " vs RTN " + rtn[0] + ", clip " + clip[0]);
    }

    @Test
    void gptqWithZeroPointsAsBlockedDequantize() throws Exception {
        Options o = new Options(32, false, Format.BLOCKED_DEQUANTIZE);
        double[] rtn = quantizeAndScore("rtn_a.onnx", o, WeightOnlyQuantizer.RTN);
        double[] gptq = quantizeAndScore("gptq_a.onnx", o, gptq());
        assertTrue(gptq[0] > rtn[0], "GPTQ mean " + gptq[0] + " vs RTN " + rtn[0]);
    }
}
