package dev.quant4j.runtime.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A one-node model run by quant4j's runtime and by ONNX Runtime on the same inputs. Inputs are
 * either fed or constant (initializers, which is what makes quant4j pack weights); outputs are
 * compared element-wise with |a − b| ≤ tol · max|b| (relative to the output's largest magnitude).
 */
final class NodeCheck {
    private final String opType;
    private final Attributes attrs = new Attributes();
    private final Map<String, Tensor> feeds = new LinkedHashMap<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, DataType> outputTypes = new HashMap<>();
    private long opset = 17;

    NodeCheck(String opType) { this.opType = opType; }

    NodeCheck opset(long v) { opset = v; return this; }

    NodeCheck attr(String name, long v) { attrs.put(name, v); return this; }

    NodeCheck attrRaw(String name, dev.quant4j.graph.Attribute v) { attrs.put(name, v); return this; }

    Map<String, Tensor> feeds() { return feeds; }

    NodeCheck ints(String name, long... v) { attrs.put(name, v); return this; }

    NodeCheck attr(String name, float v) { attrs.put(name, v); return this; }

    NodeCheck attr(String name, String v) { attrs.put(name, v); return this; }

    NodeCheck attrsStrings(String name, String... v) { attrs.put(name, new dev.quant4j.graph.Attribute.Strings(List.of(v))); return this; }


    NodeCheck feed(String name, Tensor t) { inputs.add(name); feeds.put(name, t); return this; }

    NodeCheck constant(String name, Tensor t) { inputs.add(name); constants.put(name, t); return this; }

    /** An omitted optional input. */
    NodeCheck none() { inputs.add(""); return this; }

    NodeCheck outputs(String... names) { outputs.addAll(List.of(names)); return this; }

    NodeCheck output(String name, DataType type) { outputs.add(name); outputTypes.put(name, type); return this; }

    Model model() {
        Graph g = new Graph("check");
        for (Map.Entry<String, Tensor> e : feeds.entrySet()) g.inputs().add(ValueInfo.tensor(e.getKey(), e.getValue().dtype(), e.getValue().shape()));
        g.initializers().putAll(constants);
        for (String o : outputs) g.outputs().add(new ValueInfo(o, new ValueType.TensorType(outputTypes.getOrDefault(o, DataType.FLOAT32), null)));
        g.addNode(new Node("n0", opType, "", inputs, outputs, attrs));
        Model m = new Model(g);
        m.opsets().put("", opset);
        return m;
    }

    /** quant4j's outputs with a session of {@code threads} threads. */
    List<Tensor> runQuant4j(int threads) {
        try (Session s = Session.create(model(), SessionOptions.threads(threads))) {
            return new ArrayList<>(s.run(feeds).values());
        }
    }

    List<Tensor> runOrt() throws OrtException, IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession s = env.createSession(OnnxWriter.toBytes(model()), o)) {
                Map<String, OnnxTensor> in = new HashMap<>();
                try {
                    for (Map.Entry<String, Tensor> e : feeds.entrySet()) in.put(e.getKey(), toOrt(env, e.getValue()));
                    try (OrtSession.Result res = s.run(in)) {
                        List<Tensor> out = new ArrayList<>();
                        for (Map.Entry<String, OnnxValue> e : res) out.add(fromOrt((OnnxTensor) e.getValue()));
                        return out;
                    }
                } finally {
                    in.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    /** Runs both engines and asserts every output agrees within {@code tol} relative error. */
    void assertMatchesOrt(int threads, double tol) throws Exception {
        List<Tensor> ours = runQuant4j(threads), ref = runOrt();
        assertEquals(ref.size(), ours.size(), "output count");
        for (int i = 0; i < ref.size(); i++) assertClose(outputs.get(i), ref.get(i), ours.get(i), tol);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        long n = expected.elementCount();
        if (expected.dtype() == DataType.INT64) {
            assertArrayEquals(expected.longs(), actual.toLongs(), what);
            return;
        }
        double max = 0, err = 0;
        for (long i = 0; i < n; i++) max = Math.max(max, Math.abs(expected.getDouble(i)));
        long worst = 0;
        for (long i = 0; i < n; i++) {
            double e = Math.abs(expected.getDouble(i) - actual.getDouble(i));
            if (!(e <= err)) { err = e; worst = i; }
        }
        assertTrue(err <= tol * Math.max(max, 1e-30), what + ": max |a − b| = " + err + " at element " + worst + " (" + actual.getDouble(worst)
                + ", expected " + expected.getDouble(worst) + ") over max |b| = " + max + " (relative " + err / max + " > " + tol + ")");
    }

    static Tensor random(Random r, long... shape) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() * 2 - 1;
        return Tensor.of(v, shape);
    }

    private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape());
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape());
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.ints()), t.shape());
            default -> throw new IllegalArgumentException(t.toString());
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
}
