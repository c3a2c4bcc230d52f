package dev.quant4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.quant4j.core.DataType;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** ONNX Runtime as the reference engine: runs a model file on feeds and returns its outputs as Tensors. */
final class OrtOracle {
    private OrtOracle() {}

    /** The concrete dimension used for a dynamic input dimension of each real model. */
    static long dimFor(String model, String input, int axis, Dim d) {
        if (d.isKnown()) return d.value();
        if (model.contains("rec_infer") && axis == 3) return 320;      // text-line width
        if (model.contains("melspectrogram") && axis == 1) return 1760; // audio samples
        if (model.contains("minilm") && axis == 1) return 8;           // tokens
        if (model.contains("silero") && input.equals("input") && axis == 1) return 576; // 512 samples + 64 context
        if (model.contains("silero") && input.equals("state") && axis == 0) return 2;
        if (model.contains("silero") && input.equals("state") && axis == 2) return 128;
        return 1;
    }

    /** Random feeds of the right types and (made concrete) shapes for a graph's inputs. */
    static Map<String, Tensor> feeds(String model, Graph g, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ValueInfo vi : g.feedInputs()) {
            Shape s = vi.shape();
            long[] dims = new long[s.rank()];
            for (int i = 0; i < dims.length; i++) dims[i] = dimFor(model, vi.name(), i, s.dim(i));
            int n = Math.toIntExact(Tensor.elementCount(dims));
            Tensor t = switch (vi.dtype()) {
                case FLOAT32 -> {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) f[i] = r.nextFloat() * 2 - 1;
                    yield Tensor.of(f, dims);
                }
                case INT64 -> {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (vi.name()) {
                            case "sr" -> 16000;                    // silero: sample rate
                            case "input_ids" -> 1000 + r.nextInt(20000);
                            case "attention_mask" -> 1;
                            default -> 0;
                        };
                    }
                    yield Tensor.ofLongs(v, dims);
                }
                default -> throw new IllegalArgumentException("no random feed for " + vi);
            };
            out.put(vi.name(), t);
        }
        return out;
    }

    /** Runs {@code file} in ONNX Runtime (one thread, so results are bit-reproducible). */
    static Map<String, Tensor> run(Path file, Map<String, Tensor> feeds) throws OrtException {
        return run(file, feeds, false);
    }

    /**
     * With {@code plain}, ONNX Runtime's graph optimizations are off, so that two graphs that
     * compute the same operations in the same order give bit-identical results even where the
     * optimizer would fuse them differently.
     */
    static Map<String, Tensor> run(Path file, Map<String, Tensor> feeds, boolean plain) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            o.setInterOpNumThreads(1);
            if (plain) o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(file.toString(), o)) {
                Map<String, OnnxTensor> in = new HashMap<>();
                try {
                    for (Map.Entry<String, Tensor> e : feeds.entrySet()) in.put(e.getKey(), toOrt(env, e.getValue()));
                    try (OrtSession.Result res = s.run(in)) {
                        Map<String, Tensor> out = new LinkedHashMap<>();
                        for (Map.Entry<String, OnnxValue> e : res) out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                        return out;
                    }
                } finally {
                    in.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = t.shape();
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(t.floats()), shape);
            case INT64 -> OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(t.longs()), shape);
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    static Tensor fromOrt(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        DataType dt = switch (info.type) {
            case FLOAT -> DataType.FLOAT32;
            case DOUBLE -> DataType.FLOAT64;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            default -> throw new IllegalArgumentException("ORT output type " + info.type);
        };
        ByteBuffer bb = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] b = new byte[bb.remaining()];
        bb.get(b);
        return Tensor.ofBytes(dt, b, info.getShape());
    }
}
