package dev.quant4j.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.quant4j.core.DataType;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueType;
import dev.quant4j.onnx.OnnxWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks chosen operators of a real model node by node against ONNX Runtime: ORT runs the whole
 * model (unoptimized, so that every node is its own kernel) with every intermediate value as an
 * output; then each chosen node runs alone in quant4j on ORT's inputs of that node, and its outputs
 * are compared with ORT's. This separates an operator's own error from differences that earlier
 * nodes pass on.
 */
final class NodeWiseCheck {
    private NodeWiseCheck() {}

    /** One node's comparison: the largest relative error over its outputs (0 = identical). */
    record NodeResult(String node, String opType, double relativeError) {}

    static List<NodeResult> run(Model model, Map<String, Tensor> feeds, Set<String> opTypes) throws Exception {
        // Value types come from one quant4j run (the model's value_info need not list them).
        Map<String, DataType> types = new LinkedHashMap<>();
        try (Session s = Session.create(model, SessionOptions.threads(1).withFusion(false))) {
            s.run(feeds, (name, node, v) -> types.put(name, v.dtype()));
        }
        Graph g = model.graph();
        Set<String> outs = new java.util.HashSet<>(g.outputNames());
        for (Map.Entry<String, DataType> e : types.entrySet())
            if (!outs.contains(e.getKey())) g.outputs().add(new dev.quant4j.graph.ValueInfo(e.getKey(), new ValueType.TensorType(e.getValue(), null)));
        Map<String, Tensor> ort = new HashMap<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            o.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(OnnxWriter.toBytes(model), o)) {
                Map<String, OnnxTensor> in = new HashMap<>();
                for (Map.Entry<String, Tensor> e : feeds.entrySet())
                    in.put(e.getKey(), feed(env, e.getValue()));
                try (OrtSession.Result r = session.run(in)) {
                    for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        ByteBuffer b = t.getByteBuffer();
                        byte[] bytes = new byte[b.remaining()];
                        b.get(bytes);
                        ort.put(e.getKey(), Tensor.ofBytes(types.get(e.getKey()), bytes, t.getInfo().getShape()));
                    }
                } finally {
                    in.values().forEach(OnnxTensor::close);
                }
            }
        }
        ort.putAll(feeds);
        List<NodeResult> results = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!opTypes.contains(n.opType())) continue;
            Graph one = new Graph("node");
            Map<String, Tensor> nodeFeeds = new LinkedHashMap<>();
            for (String i : n.inputs()) {
                if (i.isEmpty()) continue;
                Tensor c = g.initializers().get(i);
                if (c != null) one.initializers().put(i, c);
                else {
                    Tensor v = ort.get(i);
                    nodeFeeds.put(i, v);
                    one.inputs().add(dev.quant4j.graph.ValueInfo.tensor(i, v.dtype(), v.shape()));
                }
            }
            for (String o : n.outputs()) one.outputs().add(new dev.quant4j.graph.ValueInfo(o, new ValueType.TensorType(types.get(o), null)));
            one.addNode(n);
            Model m = new Model(one);
            m.opsets().putAll(model.opsets());
            Map<String, Tensor> ours;
            try (Session s = Session.create(m, SessionOptions.threads(2))) {
                ours = s.run(nodeFeeds);
            }
            double worst = 0;
            for (String o : n.outputs()) worst = Math.max(worst, ModelPair.relativeError(ours.get(o), ort.get(o)));
            results.add(new NodeResult(n.name(), n.opType(), worst));
        }
        return results;
    }

    private static OnnxTensor feed(OrtEnvironment env, Tensor t) throws ai.onnxruntime.OrtException {
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(t.floats()), t.shape());
            case INT64 -> OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(t.longs()), t.shape());
            default -> throw new IllegalArgumentException("feed type " + t.dtype());
        };
    }
}
