package dev.quant4j.bench.ptq;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** One model file opened in quant4j's runtime and in ONNX Runtime, with the same intra-op thread count. */
final class Engines implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    final Model model;
    final Session quant4j;
    final OrtSession ort;

    Engines(Path file, int threads, boolean fuse) throws IOException, OrtException {
        this(file, threads, fuse, false);
    }

    /**
     * With {@code ortFp32Blocked}, ONNX Runtime keeps fp32 activations where it fuses a blocked
     * DequantizeLinear → MatMul into MatMulNBits (its default, accuracy level 4, quantizes them to 8 bits).
     */
    Engines(Path file, int threads, boolean fuse, boolean ortFp32Blocked) throws IOException, OrtException {
        model = OnnxReader.read(file);
        quant4j = Session.create(model, SessionOptions.threads(threads).withFusion(fuse));
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        if (ortFp32Blocked) o.addConfigEntry("session.qdq_matmulnbits_accuracy_level", "0");
        ort = ENV.createSession(file.toString(), o);
    }

    Map<String, Tensor> runQuant4j(Map<String, Tensor> feeds) { return quant4j.run(feeds); }

    /** ONNX Runtime's float outputs by name. */
    Map<String, float[]> runOrt(Map<String, Tensor> feeds) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
                Tensor t = e.getValue();
                in.put(e.getKey(), switch (t.dtype()) {
                    case FLOAT32 -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.floats()), t.shape());
                    case INT64 -> OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.longs()), t.shape());
                    default -> throw new IllegalArgumentException("feed type " + t.dtype());
                });
            }
            try (OrtSession.Result r = ort.run(in)) {
                Map<String, float[]> out = new LinkedHashMap<>();
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
    public void close() throws OrtException {
        quant4j.close();
        ort.close();
        model.close();
    }
}
