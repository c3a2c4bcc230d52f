package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.tune.Engine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;

/** {@code --engine quant4j|ort}: which engine runs the models, at how many threads. */
enum EngineChoice {
    QUANT4J, ORT;

    /** @param threads 0 = the engine's default (quant4j: all processors; ONNX Runtime: its own choice) */
    Engine engine(int threads) {
        return switch (this) {
            case ORT -> Engine.onnxRuntime(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            case QUANT4J -> threads <= 0 ? Engine.quant4j() : new Quant4jThreads(threads);
        };
    }

    String id() { return this == ORT ? "onnxruntime" : "quant4j"; }

    static final class Converter implements ITypeConverter<EngineChoice> {
        @Override
        public EngineChoice convert(String v) {
            return switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "quant4j" -> QUANT4J;
                case "ort", "onnxruntime" -> ORT;
                default -> throw new IllegalArgumentException("engine must be quant4j or ort, got " + v);
            };
        }
    }

    /**
     * quant4j's runtime at a fixed thread count (Engine.quant4j() uses all processors; requested in
     * tune-api.md as Engine.quant4j(int) — replace this once it is there).
     */
    private record Quant4jThreads(int threads) implements Engine {
        @Override public String name() { return "quant4j"; }

        @Override
        public Runner open(Model model) {
            Session s = Session.create(model, SessionOptions.threads(threads));
            return new Runner() {
                @Override public Map<String, Tensor> run(Map<String, Tensor> feeds) { return s.run(feeds); }
                @Override public List<String> inputNames() { return s.graph().feedInputs().stream().map(v -> v.name()).toList(); }
                @Override public List<String> outputNames() { return s.graph().outputNames(); }
                @Override public void close() { s.close(); }
            };
        }

        @Override public Runner open(byte[] onnx) throws IOException { return Engine.quant4j().open(onnx); }
    }
}
