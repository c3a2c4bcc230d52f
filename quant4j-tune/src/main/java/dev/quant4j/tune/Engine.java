package dev.quant4j.tune;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Something that runs ONNX models: quant4j's runtime or ONNX Runtime (design note 5: engines are
 * peers). Both give results through the same {@link Runner} API, as quant4j graph tensors, so a
 * task scores either without knowing which ran it.
 */
public interface Engine {

    /** "quant4j" or "onnxruntime". */
    String name();

    /** Prepares {@code model} to run; the model must stay open while the runner is used. */
    Runner open(Model model) throws IOException;

    /** Prepares a serialized ONNX model to run. */
    Runner open(byte[] onnx) throws IOException;

    /**
     * The operators this engine runs for {@code model} after its own graph rewrites (for ONNX Runtime:
     * whether a QDQ group became an integer kernel such as QLinearConv), or null when it cannot say.
     */
    default List<String> operatorsRun(Model model) throws IOException { return null; }

    /** quant4j's pure-Java runtime with its default kernels (and their thread pool). */
    static Engine quant4j() {
        return new Quant4jEngine(dev.quant4j.runtime.SessionOptions.defaults());
    }

    /** quant4j's runtime on {@code threads} threads (1: all work on the calling thread, so its CPU time counts all of it). */
    static Engine quant4j(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return new Quant4jEngine(dev.quant4j.runtime.SessionOptions.threads(threads));
    }

    /**
     * ONNX Runtime with {@code intraOpThreads} threads. ONNX Runtime is an optional dependency of
     * quant4j-tune: without it on the class path this fails with a message saying so.
     */
    static Engine onnxRuntime(int intraOpThreads) {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, Engine.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("ONNX Runtime is not on the class path (add com.microsoft.onnxruntime:onnxruntime to use it)");
        }
        return new OrtEngine(intraOpThreads);
    }

    /** A prepared model; runs one feed set at a time. */
    interface Runner extends AutoCloseable {
        /** The outputs by name, in the model's output order. */
        Map<String, Tensor> run(Map<String, Tensor> feeds);

        List<String> inputNames();

        List<String> outputNames();

        @Override
        void close();
    }
}
