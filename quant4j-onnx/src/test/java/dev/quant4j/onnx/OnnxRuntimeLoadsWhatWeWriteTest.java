package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime loads the files quant4j writes (embedded and with external data) and computes
 * bit-identical outputs to the original files on the same random input.
 */
class OnnxRuntimeLoadsWhatWeWriteTest {
    @TempDir static Path tmp;

    static Stream<Path> models() {
        return RealModels.allWithMiniLm(tmp);
    }

    @ParameterizedTest
    @MethodSource("models")
    void writtenModelGivesIdenticalOutputs(Path file) throws Exception {
        String name = file.getFileName().toString().toLowerCase();
        Path embedded = tmp.resolve("emb-" + name);
        Path extDir = Files.createTempDirectory(tmp, "ext");
        Path external = extDir.resolve(name);
        Map<String, Tensor> feeds;
        try (Model m = OnnxReader.read(file)) {
            feeds = OrtOracle.feeds(name, m.graph(), 42);
            OnnxWriter.write(m, embedded);
            OnnxWriter.write(m, external, WriteOptions.external(4096));
        }
        Map<String, Tensor> want = OrtOracle.run(file, feeds);
        assertFalse(want.isEmpty());
        for (Path written : new Path[] {embedded, external}) {
            Map<String, Tensor> got = OrtOracle.run(written, feeds);
            assertEquals(want.keySet(), got.keySet());
            for (String k : want.keySet()) {
                assertTrue(want.get(k).contentEquals(got.get(k)), written + ": output " + k + " differs: " + want.get(k) + " vs " + got.get(k));
            }
        }
    }
}
