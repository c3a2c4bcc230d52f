package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.data.Sample;
import dev.quant4j.data.text.TextLineDataset;
import dev.quant4j.eval.ErrorRate;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PP-OCRv4's recognizer (opset 9, raised to 13) on 300 rendered Brown lines, character error rate in
 * ONNX Runtime: static INT8 QDQ (U8S8, min/max over 32 disjoint calibration lines) must stay within
 * 0.5 points of float32, INT4 weight-only (MatMulNBits, blocks of 32; what weight-only covers here is
 * the MatMuls: the SVTR block and the 120x6625 CTC head) within 1.0 point. quant4j's runtime decodes
 * a subset of the lines with the INT8 model as ONNX Runtime does.
 */
class PpOcrRecognizerQualityTest {
    static final int LINES = 300, CALIBRATION = 32, RUNTIME_LINES = 6;
    @TempDir static Path tmp;
    static List<String> lines;
    static TextLineDataset eval;
    static Path int8, int4;
    static QuantizationReport int8Report, int4Report;

    @BeforeAll
    static void quantize() throws Exception {
        lines = PpOcr.evaluationLines(LINES, 24);
        eval = PpOcr.recognition(lines, 1);
        PrecisionPolicy policy = PrecisionPolicy.uniform(Precision.INT8_STATIC);
        Map<String, Observer> ranges;
        try (Model m = OnnxReader.read(PpOcr.recognizer())) {
            Calibrator c = new Calibrator(m, StaticQdqQuantizer.valuesToCalibrate(m, policy), MinMaxObserver::perTensor);
            for (Sample s : PpOcr.recognition(PpOcr.calibrationLines(CALIBRATION, 24, lines), 11)) c.observe(PpOcr.feed(s));
            ranges = c.observers();
        }
        int8 = tmp.resolve("rec_int8_qdq.onnx");
        try (Model m = OnnxReader.read(PpOcr.recognizer())) {
            int8Report = StaticQdqQuantizer.apply(m, policy, ranges, StaticQdqQuantizer.Options.u8s8());
            OnnxWriter.write(m, int8);
        }
        int4 = tmp.resolve("rec_int4_weight_only.onnx");
        try (Model m = OnnxReader.read(PpOcr.recognizer())) {
            int4Report = WeightOnlyQuantizer.apply(m, PrecisionPolicy.uniform(Precision.INT4_WEIGHT),
                    new WeightOnlyQuantizer.Options(32, true, WeightOnlyQuantizer.Format.MATMUL_NBITS));
            OnnxWriter.write(m, int4);
        }
    }

    /** CER per model over the evaluation lines, in batches of 8 lines of similar width, each batch run through every model in turn. */
    static double[] cer(List<Path> models) throws Exception {
        PpOcr.Decoder dec = new PpOcr.Decoder();
        List<Ort> orts = new ArrayList<>();
        ErrorRate[] er = new ErrorRate[models.size()];
        try {
            for (int i = 0; i < er.length; i++) { orts.add(new Ort(models.get(i))); er[i] = ErrorRate.characters(); }
            for (PpOcr.LineBatch b : PpOcr.batches(eval, 8))
                for (int i = 0; i < orts.size(); i++) {
                    List<String> got = dec.decodeBatch(orts.get(i).run(b.feed()), b.texts().size());
                    for (int k = 0; k < got.size(); k++) er[i].add(b.texts().get(k), got.get(k));
                }
        } finally {
            for (Ort o : orts) o.close();
        }
        double[] out = new double[er.length];
        for (int i = 0; i < er.length; i++) out[i] = 100 * er[i].statistic().value();
        return out;
    }

    /** Share of the model's float weight values that {@code int4} stores in 4 bits. */
    static double weightOnlyCoverage() throws Exception {
        long all = 0, covered = 0;
        try (Model m = OnnxReader.read(PpOcr.recognizer())) {
            var g = m.graph();
            for (var n : g.nodes()) {
                if (n.opType().equals("Constant") && n.attributes().has("value")) all += n.attributes().getTensor("value").elementCount();
                if (n.opType().equals("MatMul")) {
                    Tensor w = ConstantWeights.floatConstant(g, n.input(1));
                    if (w != null && w.rank() == 2) covered += w.elementCount();
                }
            }
            for (Tensor t : g.initializers().values()) all += t.elementCount();
        }
        return 100.0 * covered / all;
    }

    @Test
    void int8StaysWithinHalfAPointAndInt4WeightOnlyWithinOnePointOfFloat32() throws Exception {
        double[] c = cer(List.of(PpOcr.recognizer(), int8, int4));
        System.out.printf("PP-OCRv4 rec on %d rendered Brown lines (ORT): CER fp32 %.2f%%, INT8 static QDQ %.2f%%, INT4 weight-only %.2f%%; "
                        + "sizes %d / %d / %d bytes; INT4 covers the MatMul weights = %.1f%% of the weight values%n",
                LINES, c[0], c[1], c[2], Files.size(PpOcr.recognizer()), Files.size(int8), Files.size(int4), weightOnlyCoverage());
        System.out.println(int8Report + "; " + int4Report);
        assertTrue(c[1] <= c[0] + 0.5, "INT8 CER " + c[1] + " vs fp32 " + c[0]);
        assertTrue(c[2] <= c[0] + 1.0, "INT4 CER " + c[2] + " vs fp32 " + c[0]);
    }

    @Test
    void quant4jRuntimeReadsTheInt8ModelLikeOnnxRuntime() throws Exception {
        PpOcr.Decoder dec = new PpOcr.Decoder();
        ErrorRate ours = ErrorRate.characters(), theirs = ErrorRate.characters(), between = ErrorRate.characters();
        try (Ort ort = new Ort(int8); Model m = OnnxReader.read(int8); Session s = Session.create(m)) {
            for (int i = 0; i < RUNTIME_LINES; i++) {
                Sample x = eval.get(i * (LINES / RUNTIME_LINES));
                var f = PpOcr.feed(x);
                String a = dec.decode(ort.run(f)), b = dec.decode(s.run(f).values().iterator().next().floats());
                theirs.add(x.text(), a);
                ours.add(x.text(), b);
                between.add(a, b);
            }
        }
        System.out.printf("PP-OCRv4 rec INT8 on %d lines: CER quant4j runtime %.2f%%, ORT %.2f%%, between the engines %.2f%%%n",
                RUNTIME_LINES, 100 * ours.statistic().value(), 100 * theirs.statistic().value(), 100 * between.statistic().value());
        assertTrue(between.statistic().value() <= 0.02, "the engines read the INT8 model differently: " + between.statistic().value());
    }
}
