package dev.quant4j.tune.auto;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.tune.Engine;
import java.util.List;
import java.util.Map;

/**
 * quant4j's runtime on one thread, so that thread CPU time counts all its work. Stands in until
 * {@code Engine.quant4j(int threads)} exists (requested in notes/tune-api.md).
 */
final class SingleThreadQuant4j {
    private SingleThreadQuant4j() {}

    static final Engine ENGINE = new Engine() {
        @Override public String name() { return "quant4j"; }

        @Override
        public Runner open(Model model) {
            Session s = Session.create(model, SessionOptions.threads(1));
            return new Runner() {
                @Override public Map<String, Tensor> run(Map<String, Tensor> feeds) { return s.run(feeds); }
                @Override public List<String> inputNames() { return s.graph().feedInputs().stream().map(v -> v.name()).toList(); }
                @Override public List<String> outputNames() { return s.graph().outputNames(); }
                @Override public void close() { s.close(); }
            };
        }

        @Override public Runner open(byte[] onnx) { throw new UnsupportedOperationException("models only"); }
    };
}
