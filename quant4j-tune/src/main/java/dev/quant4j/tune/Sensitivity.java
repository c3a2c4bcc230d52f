package dev.quant4j.tune;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import dev.quant4j.runtime.ValueObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-layer sensitivity: for each listed layer, weight SQNR (read back from the quantized model),
 * output SQNR against fp32 activations, range and outlier statistics of its weight and input, the
 * task-metric change when only it is quantized and when all other listed layers are, and the
 * weight bytes it saves.
 *
 * <p>Affordability: the task metric is measured on the evaluator's samples (give it a small
 * held-out subset, {@link Task#limit}); the float reference's outputs are cached by the
 * {@link Evaluator}, and the float activations once here. Per layer: one quantized copy, one task
 * run, and a few calibration runs in quant4j's runtime for the output SQNR; the all-but-one pass
 * costs one more task run per layer and can be limited to the layers that hurt most.
 */
public final class Sensitivity {

    /**
     * @param outputSqnrSamples calibration samples for output SQNR and activation statistics
     * @param allButOneLayers   how many layers (the worst by drop alone) get the all-but-one measurement; -1 = all, 0 = none
     */
    public record Options(int outputSqnrSamples, int allButOneLayers) {
        public static Options defaults() { return new Options(4, -1); }
    }

    private Sensitivity() {}

    public static <R> SensitivityTable analyze(String modelName, PlanApplier applier, Evaluator<R> evaluator,
                                               Map<String, Precision> layers, Options options) {
        Model fp32 = applier.floatModel();
        Metric metric = evaluator.task().metric();
        double ref = evaluator.value(evaluator.referenceOutputs());
        long fp32Weights = Models.weightBytes(fp32);
        List<Map<String, Tensor>> cal = new ArrayList<>();
        for (Map<String, Tensor> f : applier.calibration()) {
            if (cal.size() >= options.outputSqnrSamples()) break;
            cal.add(f);
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (String name : layers.keySet()) {
            Node n = fp32.graph().node(name);
            if (n == null) throw new IllegalArgumentException("no node '" + name + "' in " + modelName);
            nodes.put(name, n);
        }
        Map<String, List<float[]>> floatValues = observe(fp32, cal, watched(nodes.values()));

        QuantizationPlan all = new QuantizationPlan(layers);
        TaskResult allResult;
        long allBytes, allWeights;
        try (PlanApplier.Applied a = applier.apply(all)) {
            allResult = evaluator.evaluate(a.model());
            allBytes = Models.serializedBytes(a.model());
            allWeights = Models.weightBytes(a.model());
        }
        double allDrop = allResult.drop();

        Map<String, LayerSensitivity> rows = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            Precision p = layers.get(n.name());
            QuantizedWeights.WeightSlot slot = QuantizedWeights.weightOf(fp32.graph(), n);
            RangeStats wStats = slot == null ? RangeStats.NONE : RangeStats.of(slot.tensor().floats());
            List<float[]> act = floatValues.getOrDefault(activation(n), List.of());
            RangeStats aStats = n.opType().equals("Gather") ? RangeStats.NONE : RangeStats.of(act);
            try (PlanApplier.Applied only = applier.apply(QuantizationPlan.empty().with(n.name(), p))) {
                boolean applied = only.notApplied().isEmpty();
                String note = applied ? "" : only.notApplied().getFirst().reason();
                double wSqnr = Double.NaN;
                if (slot != null && applied) {
                    float[] wq = QuantizedWeights.readBack(only.model(), n, slot);
                    if (wq != null) wSqnr = sqnrDb(List.of(slot.tensor().floats()), List.of(wq));
                }
                double oSqnr = Double.NaN, m = ref;
                if (applied) {
                    String out = n.output(0);
                    if (evaluator.engine() instanceof Quant4jEngine q) {
                        // one session serves the observed calibration runs and the task run; as a graph output the
                        // layer's output survives the runtime's fusions (which may otherwise keep it internal)
                        if (!only.model().graph().outputNames().contains(out)) only.model().graph().outputs().add(new ValueInfo(out, null));
                        try (Session session = q.session(only.model())) {
                            oSqnr = sqnrDb(floatValues.get(out), observe(session, cal, Set.of(out)).get(out));
                            m = evaluator.value(evaluator.run(Quant4jEngine.over(session)));
                        }
                    } else {
                        oSqnr = sqnrDb(floatValues.get(out), observe(only.model(), cal, Set.of(out)).get(out));
                        m = evaluator.value(runOn(evaluator, only.model()));
                    }
                }
                long saved = fp32Weights - Models.weightBytes(only.model());
                rows.put(n.name(), new LayerSensitivity(n.name(), n.opType(), p, wSqnr, oSqnr, wStats, aStats, m, metric.drop(ref, m),
                        Double.NaN, Double.NaN, saved, applied, note));
            }
        }
        int allBut = options.allButOneLayers() < 0 ? rows.size() : Math.min(options.allButOneLayers(), rows.size());
        List<LayerSensitivity> worst = new ArrayList<>(rows.values());
        worst.sort(Comparator.comparingDouble(LayerSensitivity::dropOnly).reversed());
        for (LayerSensitivity l : worst.subList(0, allBut)) {
            try (PlanApplier.Applied a = applier.apply(all.without(l.node()))) {
                double m = evaluator.value(runOn(evaluator, a.model()));
                rows.put(l.node(), new LayerSensitivity(l.node(), l.opType(), l.precision(), l.weightSqnrDb(), l.outputSqnrDb(), l.weight(),
                        l.activation(), l.metricOnly(), l.dropOnly(), m, allDrop - metric.drop(ref, m), l.bytesSaved(), l.applied(), l.note()));
            }
        }
        return new SensitivityTable(modelName, evaluator.task().name(), evaluator.engine().name(), metric, evaluator.task().size(), ref,
                allResult, Models.serializedBytes(fp32), allBytes, fp32Weights, allWeights, List.copyOf(rows.values()));
    }

    private static <R> List<R> runOn(Evaluator<R> evaluator, Model m) {
        try (Engine.Runner r = evaluator.engine().open(m)) {
            return evaluator.run(r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The activation a layer quantizes: its first input (for Gather, the table is the weight and the indices are not observed). */
    private static String activation(Node n) { return n.input(0); }

    private static Set<String> watched(Iterable<Node> nodes) {
        Set<String> s = new java.util.HashSet<>();
        for (Node n : nodes) { s.add(n.output(0)); s.add(activation(n)); }
        return s;
    }

    /** Float values of {@code names} on each feed set, by quant4j's runtime without fusions (graph inputs included). */
    static Map<String, List<float[]>> observe(Model m, List<Map<String, Tensor>> feeds, Set<String> names) {
        // without fusions every node's output is a value the observer sees
        try (Session s = Session.create(m, SessionOptions.defaults().withFusion(false))) {
            return observe(s, feeds, names);
        }
    }

    static Map<String, List<float[]>> observe(Session s, List<Map<String, Tensor>> feeds, Set<String> names) {
        Map<String, List<float[]>> out = new HashMap<>();
        {
            for (Map<String, Tensor> f : feeds) {
                f.forEach((k, v) -> { if (names.contains(k) && v.dtype() == DataType.FLOAT32) out.computeIfAbsent(k, x -> new ArrayList<>()).add(v.floats()); });
                s.run(f, new ValueObserver() {
                    @Override public boolean wants(String valueName) { return names.contains(valueName); }
                    @Override public void onValue(String valueName, Node producer, Tensor value) {
                        if (value.dtype() == DataType.FLOAT32) out.computeIfAbsent(valueName, x -> new ArrayList<>()).add(value.floats());
                    }
                });
            }
        }
        return out;
    }

    /** Pooled 10·log10(Σ ref² / Σ (ref − q)²) over matching arrays; +inf when identical, NaN when missing. */
    static double sqnrDb(List<float[]> reference, List<float[]> candidate) {
        if (reference == null || candidate == null || reference.isEmpty() || reference.size() != candidate.size()) return Double.NaN;
        double sig = 0, err = 0;
        for (int i = 0; i < reference.size(); i++) {
            float[] r = reference.get(i), c = candidate.get(i);
            if (r.length != c.length) return Double.NaN;
            for (int j = 0; j < r.length; j++) {
                double d = (double) r[j] - c[j];
                sig += (double) r[j] * r[j];
                err += d * d;
            }
        }
        return err == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(sig / err);
    }
}
