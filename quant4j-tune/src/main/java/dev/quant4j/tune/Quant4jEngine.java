package dev.quant4j.tune;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link Engine} over quant4j's runtime ({@link Session}). */
final class Quant4jEngine implements Engine {

    @Override public String name() { return "quant4j"; }

    @Override
    public Runner open(Model model) {
        return new SessionRunner(Session.create(model), null, null);
    }

    /** The reader maps weights from a file, so the bytes go to a temporary file the runner deletes on close. */
    @Override
    public Runner open(byte[] onnx) throws IOException {
        Path tmp = Files.createTempFile("quant4j-tune-", ".onnx");
        try {
            Files.write(tmp, onnx);
            Model m = OnnxReader.read(tmp);
            return new SessionRunner(Session.create(m), m, tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private record SessionRunner(Session session, Model owned, Path file) implements Runner {
        @Override public Map<String, Tensor> run(Map<String, Tensor> feeds) { return session.run(feeds); }

        @Override public List<String> inputNames() { return session.graph().feedInputs().stream().map(v -> v.name()).toList(); }

        @Override public List<String> outputNames() { return session.graph().outputNames(); }

        @Override
        public void close() {
            session.close();
            if (owned != null) owned.close();
            if (file != null) {
                try { Files.deleteIfExists(file); } catch (IOException ignored) { /* a leftover temp file is harmless */ }
            }
        }
    }
}
