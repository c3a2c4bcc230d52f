package dev.quant4j.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs a quant4j model in ONNX Runtime (the reference engine), one float input, first output. */
final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;

    OrtRunner(Model model) throws Exception {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            o.setIntraOpNumThreads(1);
            session = env.createSession(OnnxWriter.toBytes(model), o);
        }
        input = session.getInputNames().iterator().next();
    }

    float[] run(float[] x, long[] shape) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    @Override
    public void close() throws Exception { session.close(); }
}
