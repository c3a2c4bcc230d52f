package dev.quant4j.runtime.bench;

import dev.quant4j.graph.Tensor;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.runtime.ModelPair;
import dev.quant4j.runtime.RealInputs;
import dev.quant4j.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times quant4j's runtime and ONNX Runtime side by side on the models of the differential tests,
 * with the same intra-op thread count and the same inputs. Each model is warmed up on both engines,
 * then the engines alternate run by run (so that load on the shared machine hits both alike), and
 * the table gives median, min and max milliseconds per run and the ratio of the medians.
 *
 * <pre>
 *   java ... dev.quant4j.runtime.bench.RuntimeBench [threads=1] [runs=20] [warmup=5] [model-name-filter]
 * </pre>
 */
public final class RuntimeBench {
    private RuntimeBench() {}

    interface Feeds { Map<String, Tensor> make() throws Exception; }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String filter = args.length > 3 ? args[3] : "";
        Path tmp = Files.createTempDirectory("quant4j-bench");
        WordPiece tok = RealInputs.miniLmTokenizer(ModelPair.resource("all-minilm-l6-v2-tokenizer.json", tmp));
        Map<String, Object[]> models = new LinkedHashMap<>();
        models.put("PP-OCR cls [4,3,48,192]", new Object[] {TestData.require("models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"), (Feeds) () -> RealInputs.ppocr(false, 4)});
        models.put("PP-OCRv4 rec [1,3,48,320]", new Object[] {TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx"), (Feeds) () -> RealInputs.ppocr(true, 1)});
        models.put("BlazeFace [1,128,128,3]", new Object[] {TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx"), (Feeds) () -> RealInputs.blazeFace(3)});
        models.put("oWW mel 1 s", new Object[] {TestData.require("models/openwakeword/melspectrogram.onnx"), (Feeds) () -> RealInputs.melspectrogram(16000)});
        models.put("oWW embedding [1,76,32,1]", new Object[] {TestData.require("models/openwakeword/embedding_model.onnx"), (Feeds) () -> {
            float[] x = new float[76 * 32];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.01);
            return Map.of("input_1", Tensor.of(x, 1, 76, 32, 1));
        }});
        models.put("Silero VAD op18 chunk", new Object[] {TestData.require("models/silero-vad/silero_vad_op18_ifless.onnx"),
                (Feeds) () -> RealInputs.silero(RealInputs.speech(4096), 3, Tensor.of(new float[256], 2, 1, 128))});
        models.put("MiniLM fp32 [4,S]", new Object[] {ModelPair.resource(RealInputs.MINILM, tmp), (Feeds) () -> RealInputs.miniLm(tok, 4, 0)});
        models.put("MiniLM INT8 [4,S]", new Object[] {ModelPair.resource(RealInputs.MINILM_Q, tmp), (Feeds) () -> RealInputs.miniLm(tok, 4, 0)});

        System.out.printf("threads %d, %d warm-up + %d timed runs per engine, engines alternating%n", threads, warmup, runs);
        System.out.printf("%-28s %28s %28s %8s%n", "model", "quant4j ms (median min max)", "ORT ms (median min max)", "q4j/ORT");
        for (Map.Entry<String, Object[]> e : models.entrySet()) {
            if (!e.getKey().toLowerCase().contains(filter.toLowerCase())) continue;
            Map<String, Tensor> feeds = ((Feeds) e.getValue()[1]).make();
            try (ModelPair p = new ModelPair((Path) e.getValue()[0], threads)) {
                for (int i = 0; i < warmup; i++) { p.runQuant4j(feeds); p.runOrt(feeds); }
                double[] q = new double[runs], o = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    p.runQuant4j(feeds);
                    long t1 = System.nanoTime();
                    p.runOrt(feeds);
                    long t2 = System.nanoTime();
                    q[i] = (t1 - t0) / 1e6;
                    o[i] = (t2 - t1) / 1e6;
                }
                Arrays.sort(q);
                Arrays.sort(o);
                String row = String.format("%-28s %10.2f %8.2f %8.2f %10.2f %8.2f %8.2f %8.2f", e.getKey(),
                        median(q), q[0], q[runs - 1], median(o), o[0], o[runs - 1], median(q) / median(o));
                System.out.println(row);
            }
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
