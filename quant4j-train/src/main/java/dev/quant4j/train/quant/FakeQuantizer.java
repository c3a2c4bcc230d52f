package dev.quant4j.train.quant;

import dev.quant4j.core.DataType;
import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.ChannelRanges;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.runtime.Session;
import dev.quant4j.train.ImageSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts fake quantization (QuantizeLinear → DequantizeLinear) in front of the data and weight
 * inputs of every Conv, Gemm and MatMul: activations per tensor, affine ({@code actType}, zero-point
 * from the calibrated range); weights per output channel, symmetric ({@code weightType}, e.g. INT4).
 * Activation ranges come from min/max observers (quant4j-core) over calibration images run
 * through the unquantized model; weight ranges from the weights.
 *
 * <p>The result is a plain QDQ ONNX graph: quant4j's runtime and ONNX Runtime run it as is, and
 * with its scales and weights exposed as graph inputs ({@link #exposeForTraining}) it is also the
 * QAT graph, whose Q/DQ backward (STE, LSQ scale gradients) is {@code QdqGrad}.
 */
public final class FakeQuantizer {
    private FakeQuantizer() {}

    /** What was inserted: the fake-quantized model, and per quantized value its scale initializer. */
    public record Result(Model model, Map<String, String> activationScales, Map<String, String> weightScales) {}

    public static Result apply(Model source, DataType weightType, DataType actType, ImageSet calibration, int calibrationBatch) {
        Model m = new Model(source.graph().copy());
        m.opsets().putAll(source.opsets());
        if (m.onnxOpset() < 21 && (weightType.bits() == 4)) m.opsets().put("", 21L);
        m.setIrVersion(Math.max(source.irVersion(), 10));
        m.setProducerName("quant4j-train");
        Graph g = m.graph();
        List<Node> targets = new ArrayList<>();
        for (Node n : g.nodes()) if (n.opType().equals("Conv") || n.opType().equals("Gemm") || n.opType().equals("MatMul")) targets.add(n);
        Map<String, MinMaxObserver> observers = new LinkedHashMap<>();
        for (Node n : targets) observers.putIfAbsent(n.input(0), MinMaxObserver.perTensor());
        observe(source, observers, calibration, calibrationBatch);
        Map<String, String> actScales = new LinkedHashMap<>(), wScales = new LinkedHashMap<>();
        Map<String, String> replaced = new HashMap<>();
        QuantSpec act = QuantSpec.affine(actType), wt = QuantSpec.symmetric(weightType);
        for (Node n : targets) {
            String x = n.input(0);
            String xq = replaced.get(x);
            if (xq == null) {
                ChannelRanges r = observers.get(x).ranges(act);
                ParamsFromRange.ScaleZeroPoint sz = ParamsFromRange.choose(act, r.min(0), r.max(0));
                String scale = g.uniqueName(x + "_scale"), zp = g.uniqueName(x + "_zero_point");
                g.initializers().put(scale, Tensor.scalar(sz.scale()));
                g.initializers().put(zp, integer(actType, new int[] {sz.zeroPoint()}, new long[0]));
                xq = qdq(g, n, x, scale, zp, -1);
                replaced.put(x, xq);
                actScales.put(x, scale);
            }
            n.setInput(0, xq);
            String w = n.input(1);
            Tensor wv = g.initializers().get(w);
            if (wv == null) continue;
            int axis = n.opType().equals("Gemm") && n.attributes().getInt("transB", 0) != 0 || n.opType().equals("Conv") ? 0 : 1;
            float[] scales = weightScales(wv, axis, wt);
            String scale = g.uniqueName(w + "_scale"), zp = g.uniqueName(w + "_zero_point");
            g.initializers().put(scale, Tensor.of(scales, scales.length));
            g.initializers().put(zp, integer(weightType, new int[scales.length], new long[] {scales.length}));
            n.setInput(1, qdq(g, n, w, scale, zp, axis));
            wScales.put(w, scale);
        }
        g.topologicalSort();
        return new Result(m, actScales, wScales);
    }

    /** Per-channel symmetric scales max|w|/qmax-style, from core's range rule. */
    static float[] weightScales(Tensor w, int axis, QuantSpec spec) {
        float[] v = w.floats();
        long[] s = w.shape();
        int channels = (int) s[axis];
        long inner = 1;
        for (int a = axis + 1; a < s.length; a++) inner *= s[a];
        float[] lo = new float[channels], hi = new float[channels];
        for (int i = 0; i < v.length; i++) {
            int c = (int) ((i / inner) % channels);
            lo[c] = Math.min(lo[c], v[i]);
            hi[c] = Math.max(hi[c], v[i]);
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) scales[c] = ParamsFromRange.choose(spec, lo[c], hi[c]).scale();
        return scales;
    }

    private static Tensor integer(DataType t, int[] v, long[] shape) {
        Tensor z = Tensor.zeros(t, shape);
        if (t.bits() == 8) for (int i = 0; i < v.length; i++) z.data().set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) v[i]);
        else for (int i = 0; i < v.length; i++) if (v[i] != 0) throw new IllegalArgumentException("non-zero " + t + " zero-points are not written here");
        return z;
    }

    private static String qdq(Graph g, Node before, String x, String scale, String zp, int axis) {
        String q = g.uniqueName(x + "_quantized"), dq = g.uniqueName(x + "_dequantized");
        Attributes a = new Attributes();
        if (axis >= 0) a.put("axis", (long) axis);
        g.insertBefore(before, new Node(q, "QuantizeLinear", "", List.of(x, scale, zp), List.of(q), a.copy()));
        g.insertBefore(before, new Node(dq, "DequantizeLinear", "", List.of(q, scale, zp), List.of(dq), a.copy()));
        return dq;
    }

    /** Runs the calibration images through {@code model}, showing the observed values (graph inputs included) to their observers. */
    static void observe(Model model, Map<String, MinMaxObserver> observers, ImageSet data, int batch) {
        String in = model.graph().feedInputs().get(0).name();
        int sz = data.itemSize();
        try (Session s = Session.create(model)) {
            for (int from = 0; from < data.size(); from += batch) {
                int m = Math.min(batch, data.size() - from);
                float[] x = new float[m * sz];
                System.arraycopy(data.pixels(), from * sz, x, 0, x.length);
                long[] shape = data.batchShape(m);
                if (observers.containsKey(in)) observers.get(in).observe(x, shape);
                s.run(Map.of(in, Tensor.of(x, shape)), new dev.quant4j.runtime.ValueObserver() {
                    @Override public boolean wants(String name) { return observers.containsKey(name); }
                    @Override public void onValue(String name, Node producer, Tensor value) { observers.get(name).observe(value.floats(), value.shape()); }
                });
            }
        }
    }

    /**
     * A copy whose float initializers named in {@code params} are also graph inputs, so that a
     * {@link dev.quant4j.train.Trainer} feeds and updates them.
     */
    public static Model exposeForTraining(Model m, java.util.Collection<String> params) {
        Model t = new Model(m.graph().copy());
        t.opsets().putAll(m.opsets());
        t.setIrVersion(m.irVersion());
        for (String p : params) {
            Tensor v = t.graph().initializers().get(p);
            if (v == null) throw new IllegalArgumentException("no initializer '" + p + "'");
            t.graph().inputs().add(ValueInfo.tensor(p, v.dtype(), v.shape()));
        }
        return t;
    }

    /** A copy of {@code m} with the given initializer values replaced and no parameter inputs (for export). */
    public static Model withValues(Model m, Map<String, float[]> values) {
        Model t = new Model(m.graph().copy());
        t.opsets().putAll(m.opsets());
        t.setIrVersion(m.irVersion());
        t.setProducerName(m.producerName());
        Graph g = t.graph();
        values.forEach((k, v) -> {
            Tensor old = g.initializers().get(k);
            if (old != null) g.initializers().put(k, Tensor.of(v.clone(), old.shape()));
        });
        g.inputs().removeIf(v -> g.initializers().containsKey(v.name()));
        return t;
    }
}
