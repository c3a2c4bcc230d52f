package dev.quant4j.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ONNX model opened by both engines: quant4j's {@link Session} and ONNX Runtime, each with the
 * same intra-op thread count, run on the same feeds. Used by the differential tests and the
 * runtime benchmark.
 */
public final class ModelPair implements AutoCloseable {
    private final Session quant4j;
    private final OrtSession ort;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    public ModelPair(Path file, int threads) throws IOException, OrtException {
        this(file, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    /** With ONNX Runtime at graph optimization level {@code ortLevel} (ALL_OPT is its default). */
    public ModelPair(Path file, int threads, OrtSession.SessionOptions.OptLevel ortLevel) throws IOException, OrtException {
        Model m = OnnxReader.read(file);
        quant4j = Session.create(m, SessionOptions.threads(threads));
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(ortLevel);
        o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        ort = env.createSession(file.toString(), o);
    }

    /** Copies a classpath resource (a model inside a test dependency's jar) to {@code dir}. */
    public static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        if (Files.exists(out)) return out;
        try (InputStream in = ModelPair.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("classpath resource " + name + " not found");
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        }
        return out;
    }

    public Map<String, Tensor> runQuant4j(Map<String, Tensor> feeds) {
        return quant4j.run(feeds);
    }

    /** ONNX Runtime's outputs, by name in the model's output order. */
    public Map<String, Tensor> runOrt(Map<String, Tensor> feeds) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : feeds.entrySet()) in.put(e.getKey(), toOrt(e.getValue()));
            try (OrtSession.Result r = ort.run(in)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                return out;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** max|a − b| / max|b| over all elements (b: the reference); 0 when both are all zero. */
    public static double relativeError(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape()))
            throw new AssertionError("shapes differ: " + java.util.Arrays.toString(a.shape()) + " vs " + java.util.Arrays.toString(b.shape()));
        double err = 0, max = 0;
        for (long i = 0; i < b.elementCount(); i++) {
            double x = a.getDouble(i), y = b.getDouble(i);
            double d = Math.abs(x - y);
            if (!(d <= err)) err = d; // NaN counts as the worst error
            max = Math.max(max, Math.abs(y));
        }
        return err == 0 ? 0 : err / max;
    }

    private OnnxTensor toOrt(Tensor t) throws OrtException {
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape());
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape());
            default -> throw new IllegalArgumentException("feed type " + t.dtype());
        };
    }

    private static Tensor fromOrt(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        return switch (t.getInfo().type) {
            case FLOAT -> { FloatBuffer b = t.getFloatBuffer(); float[] a = new float[b.remaining()]; b.get(a); yield Tensor.of(a, shape); }
            case INT64 -> { LongBuffer b = t.getLongBuffer(); long[] a = new long[b.remaining()]; b.get(a); yield Tensor.ofLongs(a, shape); }
            default -> throw new IllegalArgumentException("ORT output type " + t.getInfo().type);
        };
    }

    @Override
    public void close() throws OrtException {
        quant4j.close();
        ort.close();
    }
}
