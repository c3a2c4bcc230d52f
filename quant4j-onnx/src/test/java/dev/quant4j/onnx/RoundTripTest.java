package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.GraphDiff;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** read → write → read gives an equal model, embedded and with external data. */
class RoundTripTest {
    @TempDir static Path tmp;

    static Stream<Path> models() {
        return RealModels.allWithMiniLm(tmp);
    }

    @ParameterizedTest
    @MethodSource("models")
    void embeddedRoundTripIsEqual(Path file) throws Exception {
        Path out = tmp.resolve("rt-" + file.getFileName());
        try (Model a = OnnxReader.read(file)) {
            assertFalse(a.graph().nodes().isEmpty(), "no nodes read from " + file);
            OnnxWriter.write(a, out);
            try (Model b = OnnxReader.read(out)) {
                for (Tensor t : b.graph().initializers().values()) {
                    if (t.byteSize() >= 64) assertTrue(t.isNative(), t + " should view the mapped model file, not a heap copy");
                }
                List<String> diffs = GraphDiff.of(a, b);
                assertEquals(List.of(), diffs, "round trip of " + file);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void externalDataRoundTripIsEqualAndMapped(Path file) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "ext");
        Path out = dir.resolve("model.onnx");
        try (Model a = OnnxReader.read(file)) {
            OnnxWriter.write(a, out, WriteOptions.external(1024));
            boolean anyLarge = a.graph().initializers().values().stream().anyMatch(t -> t.byteSize() >= 1024);
            assertEquals(anyLarge, Files.exists(dir.resolve("model.onnx.data")));
            try (Model b = OnnxReader.read(out)) {
                assertEquals(List.of(), GraphDiff.of(a, b), "external round trip of " + file);
                for (Tensor t : b.graph().initializers().values()) {
                    if (t.byteSize() >= 1024) assertTrue(t.isNative(), t + " should view the mapped side file");
                }
            }
        }
    }
}
