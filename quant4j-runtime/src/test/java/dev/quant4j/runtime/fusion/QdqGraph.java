package dev.quant4j.runtime.fusion;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
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
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/** A small hand-built QDQ model (one float input, one float output) run fused, unfused, and in ONNX Runtime. */
final class QdqGraph {
    final Graph g = new Graph("qdq");
    private final long opset;
    private int names;

    QdqGraph(String input, long[] shape, long opset) {
        this.opset = opset;
        g.inputs().add(ValueInfo.tensor(input, DataType.FLOAT32, shape));
    }

    String constant(String base, Tensor t) {
        String n = base + "_" + names++;
        g.initializers().put(n, t);
        return n;
    }

    String node(String op, List<String> inputs, Attributes a) {
        String out = op + "_out_" + names++;
        g.addNode(new Node(op + "_" + names++, op, "", inputs, List.of(out), a == null ? new Attributes() : a));
        return out;
    }

    /** Q then DQ with the given per-tensor parameters; returns the DQ output. */
    String qdq(String x, float scale, int zp, DataType type) {
        String s = constant("s", Tensor.scalar(scale));
        String z = constant("z", Tensor.ofBytes(type, new byte[] {(byte) zp}));
        return node("DequantizeLinear", List.of(node("QuantizeLinear", List.of(x, s, z), null), s, z), null);
    }

    String dq(Tensor codes, Tensor scale, Integer axis) {
        return dq(codes, scale, null, axis);
    }

    /** A DequantizeLinear of constant codes (zero-point optional), per axis when {@code axis} is given. */
    String dq(Tensor codes, Tensor scale, Tensor zeroPoint, Integer axis) {
        Attributes a = new Attributes();
        if (axis != null) a.put("axis", (long) axis);
        List<String> in = zeroPoint == null ? List.of(constant("w", codes), constant("ws", scale))
                : List.of(constant("w", codes), constant("ws", scale), constant("wz", zeroPoint));
        return node("DequantizeLinear", in, a);
    }

    Model model(String output) {
        g.outputs().add(new ValueInfo(output, new ValueType.TensorType(DataType.FLOAT32, null)));
        Model m = new Model(g);
        m.opsets().put("", opset);
        return m;
    }

    static float[] run(Model m, boolean fuse, Map<String, Tensor> feeds) {
        try (Session s = Session.create(m, SessionOptions.threads(1).withFusion(fuse))) {
            return s.run(feeds).values().iterator().next().floats();
        }
    }

    static float[] runOrt(Model m, String input, Tensor x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            // ORT turns DQ(int4 blocked) → MatMul into MatMulNBits with 8-bit activations by default (level 4); 0 keeps fp32.
            o.addConfigEntry("session.qdq_matmulnbits_accuracy_level", "0");
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession s = env.createSession(OnnxWriter.toBytes(m), o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape());
                 OrtSession.Result r = s.run(Map.of(input, t))) {
                FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[b.remaining()];
                b.get(out);
                return out;
            }
        }
    }
}
