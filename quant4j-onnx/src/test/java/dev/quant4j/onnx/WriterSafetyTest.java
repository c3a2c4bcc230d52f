package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer never overwrites what the model was read from and leaves no temporary files behind. */
class WriterSafetyTest {
    @TempDir Path tmp;

    @Test
    void refusesToOverwriteItsSourceAndItsSideFile() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("m"));
        Files.write(dir.resolve("w.bin"), new byte[16]);
        Path src = Protos.write(dir.resolve("model.onnx"), Protos.addModel(Protos.externalTensor("w", 4, "w.bin", 0, 16).build(), 4));
        byte[] before = Files.readAllBytes(src);
        try (Model m = OnnxReader.read(src)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWriter.write(m, src));
            assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
            Path other = dir.resolve("copy.onnx");
            assertThrows(ModelFormatException.class, () -> OnnxWriter.write(m, other, new WriteOptions(0, "w.bin", 64)));
            OnnxWriter.write(m, other, WriteOptions.external(0));
            assertTrue(Files.exists(dir.resolve("copy.onnx.data")));
        }
        assertArrayEquals(before, Files.readAllBytes(src));
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("copy.onnx", "copy.onnx.data", "model.onnx", "w.bin"), names, "no temporary files may remain");
        }
    }

    @Test
    void replacesAnExistingOutputWhole() throws Exception {
        Path src = Protos.write(tmp.resolve("a.onnx"), Protos.addModel(Protos.floatTensor("w", 1, 2).build(), 2));
        Path out = Files.writeString(tmp.resolve("out.onnx"), "old contents that are longer than the model file would be, if it were shorter");
        try (Model m = OnnxReader.read(src)) {
            OnnxWriter.write(m, out);
        }
        try (Model m = OnnxReader.read(out)) {
            assertArrayEquals(new float[] {1, 2}, m.graph().initializers().get("w").floats());
        }
    }
}
