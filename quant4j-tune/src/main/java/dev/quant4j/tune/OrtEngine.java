package dev.quant4j.tune;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link Engine} over ONNX Runtime; loaded only when asked for, since ONNX Runtime is optional. */
final class OrtEngine implements Engine {
    private final int threads;

    OrtEngine(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
    }

    @Override public String name() { return "onnxruntime"; }

    @Override
    public Runner open(Model model) throws IOException {
        return open(Models.toBytes(model));
    }

    @Override
    public Runner open(byte[] onnx) throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return new OrtRunner(env, env.createSession(onnx, o));
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** From the graph ONNX Runtime itself saves after its QDQ-fusing (extended) optimizations. */
    @Override
    public List<String> operatorsRun(Model model) throws IOException {
        java.nio.file.Path optimized = java.nio.file.Files.createTempFile("quant4j-ort-optimized", ".onnx");
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
                o.setOptimizedModelFilePath(optimized.toString());
                o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                env.createSession(Models.toBytes(model), o).close();
            } catch (OrtException e) {
                throw new IOException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
            }
            java.util.Set<String> ops = new java.util.LinkedHashSet<>();
            try (Model m = dev.quant4j.onnx.OnnxReader.read(optimized)) {
                for (var n : m.graph().nodes()) ops.add(n.isOnnxDomain() ? n.opType() : n.domain() + "." + n.opType());
            }
            return List.copyOf(ops);
        } finally {
            java.nio.file.Files.deleteIfExists(optimized);
        }
    }

    private record OrtRunner(OrtEnvironment env, OrtSession session) implements Runner {
        @Override
        public Map<String, Tensor> run(Map<String, Tensor> feeds) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                for (var e : feeds.entrySet()) in.put(e.getKey(), toOrt(e.getValue()));
                try (OrtSession.Result r = session.run(in)) {
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    for (var e : r) out.put(e.getKey(), fromOrt(e.getKey(), (OnnxTensor) e.getValue()));
                    return out;
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }

        private OnnxTensor toOrt(Tensor t) throws OrtException {
            return switch (t.dtype()) {
                case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape());
                case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape());
                case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.ints()), t.shape());
                default -> throw new IllegalArgumentException("feed of type " + t.dtype() + " is not supported by the ONNX Runtime engine");
            };
        }

        private static Tensor fromOrt(String name, OnnxTensor t) {
            long[] shape = t.getInfo().getShape();
            OnnxJavaType type = t.getInfo().type;
            return switch (type) {
                case FLOAT -> { FloatBuffer b = t.getFloatBuffer(); float[] a = new float[b.remaining()]; b.get(a); yield Tensor.of(a, shape); }
                case INT64 -> { LongBuffer b = t.getLongBuffer(); long[] a = new long[b.remaining()]; b.get(a); yield Tensor.ofLongs(a, shape); }
                case INT32 -> { IntBuffer b = t.getIntBuffer(); int[] a = new int[b.remaining()]; b.get(a); yield Tensor.ofInts(a, shape); }
                default -> throw new IllegalStateException("output '" + name + "' has type " + type + ", which the ONNX Runtime engine does not convert");
            };
        }

        @Override public List<String> inputNames() { return new ArrayList<>(session.getInputNames()); }

        @Override
        public List<String> outputNames() {
            try {
                List<String> out = new ArrayList<>();
                for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) if (e.getValue().getInfo() instanceof TensorInfo) out.add(e.getKey());
                return out;
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try { session.close(); } catch (OrtException e) { throw new IllegalStateException("closing ONNX Runtime session: " + e.getMessage(), e); }
        }
    }
}
