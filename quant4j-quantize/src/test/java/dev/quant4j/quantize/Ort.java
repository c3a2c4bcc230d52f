package dev.quant4j.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** ONNX Runtime (the oracle) on one model file: float and int64 feeds, float outputs. */
final class Ort implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    Ort(Path model) throws OrtException { this(model, OrtSession.SessionOptions.OptLevel.ALL_OPT); }

    Ort(Path model, OrtSession.SessionOptions.OptLevel level) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(level);
        o.setIntraOpNumThreads(2);
        o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        session = env.createSession(model.toString(), o);
    }

    /** The first output as floats. */
    float[] run(Map<String, Tensor> feeds) throws OrtException {
        return runAll(feeds).values().iterator().next();
    }

    /** Every output as floats, by name in the model's order. */
    Map<String, float[]> runAll(Map<String, Tensor> feeds) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (var e : feeds.entrySet()) {
                Tensor t = e.getValue();
                in.put(e.getKey(), switch (t.dtype()) {
                    case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape());
                    case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape());
                    default -> throw new IllegalArgumentException("feed type " + t.dtype());
                });
            }
            try (OrtSession.Result r = session.run(in)) {
                Map<String, float[]> out = new java.util.LinkedHashMap<>();
                for (var e : r) {
                    FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] a = new float[b.remaining()];
                    b.get(a);
                    out.put(e.getKey(), a);
                }
                return out;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException { session.close(); }
}
