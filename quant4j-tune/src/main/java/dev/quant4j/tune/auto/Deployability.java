package dev.quant4j.tune.auto;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.tune.Engine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Before a model is written: for each quantized node, whether the chosen engine runs its quantized
 * form and whether it runs it fast. "Runs" is found by trying: quant4j's runtime must claim every
 * operator of the form in its {@link OpRegistry} and then prepare and run it; ONNX Runtime must open
 * a session on the form alone and run it. "Fast" comes from the speed gate's measurement.
 */
public final class Deployability {
    /**
     * One quantized node on one engine.
     *
     * @param ops  the operators its quantized form consists of
     * @param fast null when the speed gate did not time it
     */
    public record Row(String node, String opType, Precision precision, String engine, List<String> ops, boolean runs, Boolean fast, String reason) {}

    private Deployability() {}

    /** A row for each node {@code plan} quantizes, from its form in {@code forms}. */
    public static List<Row> check(List<LayerForms.Form> forms, Map<String, Precision> plan, Engine engine, SpeedGate.Result gate) {
        List<Row> rows = new ArrayList<>();
        for (var e : plan.entrySet()) {
            if (e.getValue() == Precision.FP32) continue;
            LayerForms.Form f = forms.stream().filter(x -> x.layer().node().equals(e.getKey()) && x.precision() == e.getValue()).findFirst().orElse(null);
            if (f == null) { rows.add(new Row(e.getKey(), "?", e.getValue(), engine.name(), List.of(), false, null, "no single-node form was built for it")); continue; }
            rows.add(check(f, engine, gate));
        }
        return rows;
    }

    static Row check(LayerForms.Form f, Engine engine, SpeedGate.Result gate) {
        LayerLadder l = f.layer();
        if (!f.built()) return new Row(l.node(), l.opType(), f.precision(), engine.name(), List.of(), false, null, f.problem());
        List<String> ops = ops(f.quantized());
        String failure = runFailure(f.quantized(), f.floatForm().feeds(), engine);
        LayerTiming t = gate == null || !gate.engine().equals(engine.name()) ? null : gate.timing(l.node(), f.precision()).orElse(null);
        Boolean fast = t == null || failure != null ? null : t.paysOff();
        String reason = failure != null ? failure
                : "runs (" + String.join(", ", ops) + ")" + kernels(f, engine) + (t == null ? "; speed not measured on " + engine.name() : "; " + t.reason());
        return new Row(l.node(), l.opType(), f.precision(), engine.name(), ops, failure == null, fast, reason);
    }

    /**
     * {@code ladders} without the levels whose single-node form {@code engine} cannot run (a search
     * must not measure what cannot be deployed); each removal is added to {@code notes}.
     */
    public static List<LayerLadder> runnable(List<LayerLadder> ladders, List<LayerForms.Form> forms, Engine engine, List<String> notes) {
        List<LayerLadder> out = new ArrayList<>();
        for (LayerLadder l : ladders) {
            List<dev.quant4j.quantize.Precision> keep = new ArrayList<>();
            for (Precision p : l.levels()) {
                if (p == Precision.FP32) continue;
                LayerForms.Form f = forms.stream().filter(x -> x.layer().node().equals(l.node()) && x.precision() == p).findFirst().orElse(null);
                String why = f == null ? "no single-node form built" : !f.built() ? f.problem() : runFailure(f.quantized(), f.floatForm().feeds(), engine);
                if (why == null) keep.add(p);
                else notes.add(l.node() + " " + p.id() + " left out: " + why);
            }
            out.add(new LayerLadder(l.node(), l.opType(), keep));
        }
        return out;
    }

    /** Null when {@code engine} opens and runs {@code model} on {@code feeds}, else what went wrong. */
    public static String runFailure(Model model, Map<String, Tensor> feeds, Engine engine) {
        if (engine.name().equals("quant4j")) {
            List<String> missing = new ArrayList<>();
            for (Node n : model.graph().nodes())
                if (!OpRegistry.standard().supports(n.isOnnxDomain() ? "" : n.domain(), n.opType())) missing.add(n.isOnnxDomain() ? n.opType() : n.domain() + "." + n.opType());
            if (!missing.isEmpty()) return "quant4j runtime has no implementation of " + String.join(", ", new LinkedHashSet<>(missing));
        }
        try (Engine.Runner r = engine.open(model)) {
            r.run(feeds);
            return null;
        } catch (Exception | LinkageError e) {
            return engine.name() + " cannot run it: " + firstLine(e);
        }
    }

    /** What the engine turns the form into, and a warning when an integer precision got no integer kernel. */
    private static String kernels(LayerForms.Form f, Engine engine) {
        List<String> ran;
        try {
            ran = engine.operatorsRun(f.quantized());
        } catch (java.io.IOException e) {
            return "; " + engine.name() + " did not say what it runs: " + firstLine(e);
        }
        if (ran == null) return "";
        String s = " as " + String.join(", ", ran);
        boolean integerPrecision = f.precision() != Precision.FP16 && f.precision() != Precision.BF16;
        if (integerPrecision && ran.stream().noneMatch(Deployability::isQuantizedKernel))
            s += "; WARNING: no integer kernel after " + engine.name() + "'s rewrites, so it runs in float on dequantized weights";
        return s;
    }

    private static boolean isQuantizedKernel(String op) {
        String name = op.substring(op.lastIndexOf('.') + 1);
        return name.startsWith("QLinear") || Set.of("QGemm", "MatMulInteger", "ConvInteger", "DynamicQuantizeMatMul", "MatMulIntegerToFloat",
                "MatMulNBits", "QAttention", "DynamicQuantizeLSTM").contains(name);
    }

    private static List<String> ops(Model m) {
        Set<String> s = new LinkedHashSet<>();
        for (Node n : m.graph().nodes()) s.add(n.isOnnxDomain() ? n.opType() : n.domain() + "." + n.opType());
        return List.copyOf(s);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** The rows as a text table. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-40s %-8s %-13s %-11s %-5s %-5s %s%n", "node", "op", "precision", "engine", "runs", "fast", "reason"));
        for (Row r : rows) b.append(String.format(Locale.ROOT, "%-40s %-8s %-13s %-11s %-5s %-5s %s%n", r.node(), r.opType(), r.precision().id(), r.engine(),
                r.runs() ? "yes" : "NO", r.fast() == null ? "?" : r.fast() ? "yes" : "no", r.reason()));
        return b.toString();
    }
}
