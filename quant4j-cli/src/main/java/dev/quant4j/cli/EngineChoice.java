package dev.quant4j.cli;

import dev.quant4j.tune.Engine;
import picocli.CommandLine.ITypeConverter;

/** {@code --engine quant4j|ort}: which engine runs the models, at how many threads. */
enum EngineChoice {
    QUANT4J, ORT;

    /** @param threads 0 = the engine's default (quant4j: all processors; ONNX Runtime: its own choice) */
    Engine engine(int threads) {
        return switch (this) {
            case ORT -> Engine.onnxRuntime(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            case QUANT4J -> threads <= 0 ? Engine.quant4j() : Engine.quant4j(threads);
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
}
