package dev.quant4j.tune;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link Engine} over quant4j's runtime ({@link Session}). */
final class Quant4jEngine implements Engine {
    private final SessionOptions options;

    Quant4jEngine(SessionOptions options) { this.options = options; }

    @Override public String name() { return "quant4j"; }

    /** A session for {@code model} with this engine's options. */
    Session session(Model model) { return Session.create(model, options); }

    @Override
    public Runner open(Model model) {
        return new SessionRunner(Session.create(model, options), null, null, true);
    }

    /** The reader maps weights from a file, so the bytes go to a temporary file the runner deletes on close. */
    @Override
    public Runner open(byte[] onnx) throws IOException {
        Path tmp = Files.createTempFile("quant4j-tune-", ".onnx");
        try {
            Files.write(tmp, onnx);
            Model m = OnnxReader.read(tmp);
            return new SessionRunner(Session.create(m, options), m, tmp, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** A runner over an existing session (not closed by the runner), for callers that also observe values in it. */
    static Runner over(Session session) {
        return new SessionRunner(session, null, null, false);
    }

    private record SessionRunner(Session session, Model owned, Path file, boolean ownsSession) implements Runner {
        @Override public Map<String, Tensor> run(Map<String, Tensor> feeds) { return session.run(feeds); }

        @Override public List<String> inputNames() { return session.graph().feedInputs().stream().map(v -> v.name()).toList(); }

        @Override public List<String> outputNames() { return session.graph().outputNames(); }

        @Override
        public void close() {
            if (ownsSession) session.close();
            if (owned != null) owned.close();
            if (file != null) {
                try { Files.deleteIfExists(file); } catch (IOException ignored) { /* a leftover temp file is harmless */ }
            }
        }
    }
}
