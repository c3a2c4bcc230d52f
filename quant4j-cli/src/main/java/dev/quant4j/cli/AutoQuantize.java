package dev.quant4j.cli;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.LayerSensitivity;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import dev.quant4j.tune.Sensitivity;
import dev.quant4j.tune.Task;
import dev.quant4j.tune.auto.AutoPrecision;
import dev.quant4j.tune.auto.CalibrationDigest;
import dev.quant4j.tune.auto.Deployability;
import dev.quant4j.tune.auto.LayerForms;
import dev.quant4j.tune.auto.LayerLadder;
import dev.quant4j.tune.auto.MetricBound;
import dev.quant4j.tune.auto.Objective;
import dev.quant4j.tune.auto.Provenance;
import dev.quant4j.tune.auto.SearchResult;
import dev.quant4j.tune.auto.SpeedGate;
import dev.quant4j.tune.auto.TaskMeasurer;
import dev.quant4j.tune.task.AgreementTask;
import dev.quant4j.tune.task.ClassificationTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quantize --mode auto}: quant4j-tune's automatic precision driven from the command line.
 * The labelled (or, without labels, reference-agreement) data is split into a calibration part and
 * a held-out part that never share a sample; per-layer harm comes from a quick sensitivity pass,
 * ladders keep only forms the target engine runs, the search measures every candidate on the
 * held-out part, and the chosen plan is written with its provenance.
 */
final class AutoQuantize {
    /** Most aggressive first; each layer gets the ones its quantizers accept. */
    static final List<Precision> LADDER = List.of(Precision.INT4_WEIGHT, Precision.INT8_STATIC, Precision.INT8_DYNAMIC, Precision.INT8_WEIGHT, Precision.FP16);

    /** What the search chose and measured, for printing, JSON and reports. */
    record Outcome(SearchResult search, List<Deployability.Row> deployability, List<String> notes, int calibrationSamples, int heldOutSamples,
                   String calibrationSha256, String metric, boolean higherIsBetter, String engine) {}

    /** Search settings from the command line. */
    record Settings(MetricBound bound, String boundText, Objective objective, int maxEvaluations, double calibrationFraction, long seed,
                    PlanApplier.Options options) {}

    private AutoQuantize() {}

    /** Parses "0.5" (absolute, metric units) or "1%" (relative to the reference). */
    static MetricBound bound(String text) {
        String t = text.strip();
        boolean rel = t.endsWith("%");
        double v = Double.parseDouble(rel ? t.substring(0, t.length() - 1) : t);
        return rel ? MetricBound.relative(v / 100) : MetricBound.absolute(v);
    }

    /** Searches on {@code fp32} (not changed) and writes the chosen model to {@code output}. */
    static Outcome run(Model fp32, SampleData data, Engine engine, Settings s, Path output) throws Exception {
        if (data.hasLabels()) {
            EvalData.Split<Sample> split = EvalSetup.samples(data, fp32).split(s.calibrationFraction(), s.seed());
            return search(fp32, split, new ClassificationTask("top-1 on held-out part of " + data.name(), split.evaluation(), fp32.graph().outputNames().getFirst()),
                    engine, s, output);
        }
        EvalData.Split<Integer> split = EvalSetup.indices(data).split(s.calibrationFraction(), s.seed());
        return search(fp32, split, new AgreementTask<>("cosine to fp32 on held-out part of " + data.name(), split.evaluation(),
                fp32.graph().outputNames().getFirst(), AgreementTask.Kind.COSINE), engine, s, output);
    }

    private static <T, R> Outcome search(Model fp32, EvalData.Split<T> split, Task<R> task, Engine engine, Settings s, Path output) throws Exception {
        EvalData<T> calibration = split.calibration();
        if (calibration.size() < 1 || task.size() < 2) throw new IllegalArgumentException("too few samples to split into calibration and held-out parts");
        Progress.note("auto: %d calibration samples, %d held-out samples (disjoint), engine %s", calibration.size(), task.size(), engine.name());
        PlanApplier applier = new PlanApplier(fp32, calibration.feedsIterable(), s.options());
        Map<String, String> ops = applier.opTypes();
        List<LayerLadder> ladders = new ArrayList<>();
        applier.allowed().forEach((n, allowed) -> {
            LayerLadder l = LayerLadder.of(n, ops.get(n), LADDER, allowed);
            if (l.levels().size() > 1) ladders.add(l);
        });
        if (ladders.isEmpty()) throw new IllegalArgumentException("no layer of this model can be quantized by any mode");
        Map<String, Tensor> timing = task.feeds(0);
        List<String> notes = new ArrayList<>();
        List<LayerForms.Form> forms = LayerForms.build(fp32, ladders, timing, applier.options());
        List<LayerLadder> runnable = Deployability.runnable(ladders, forms, engine, notes);
        SpeedGate.Result gate = s.objective() == Objective.FASTEST ? SpeedGate.time(forms, engine, SpeedGate.Settings.defaults()) : null;

        Evaluator<R> ev = new Evaluator<>(task, engine, fp32, Bootstrap.of(s.seed()));
        Map<String, Precision> aggressive = new LinkedHashMap<>();
        for (LayerLadder l : runnable) if (l.levels().size() > 1) aggressive.put(l.node(), l.at(0));
        Map<String, Double> harm = new LinkedHashMap<>();
        if (!aggressive.isEmpty()) {
            Progress.note("auto: sensitivity of %d layers on %d held-out samples", aggressive.size(), Math.min(task.size(), 100));
            Evaluator<R> quick = new Evaluator<>(task.limit(100), engine, fp32, Bootstrap.of(s.seed()));
            for (LayerSensitivity row : Sensitivity.analyze("model", applier, quick, aggressive, new Sensitivity.Options(1, 0)).rows())
                harm.put(row.node(), row.dropOnly());
        }
        TaskMeasurer<R> m = new TaskMeasurer<>(applier, ev, timing, 3, 15);
        Progress.note("auto: searching (at most %d evaluations)", s.maxEvaluations());
        SearchResult r = AutoPrecision.search(runnable, harm, m, new AutoPrecision.Settings(s.bound(), s.objective(), s.maxEvaluations()), gate);
        notes.addAll(m.notes());
        String sha = CalibrationDigest.of(calibration.feedsIterable()).hex();
        List<Deployability.Row> deploy;
        try (PlanApplier.Applied a = applier.apply(new QuantizationPlan(r.plan()))) {
            deploy = Deployability.check(forms, r.plan(), engine, gate);
            Provenance.of(Provenance.settings("mode", "auto", "maxDrop", s.boundText(), "objective", s.objective().name().toLowerCase(java.util.Locale.ROOT),
                            "engine", engine.name(), "heldOutSamples", task.size(), "seed", s.seed()),
                    new Provenance.Calibration(sha, calibration.size(), calibration.name()),
                    Provenance.tensorActions(fp32, a.model(), r.plan(), r.reasons()),
                    new Provenance.Deltas(task.metric().name(), r.reference().metric(), r.chosen().metric(), r.chosen().drop(), r.reference().sizeBytes(),
                            r.chosen().sizeBytes(), engine.name(), r.referenceLatency(), r.chosenLatency(),
                            r.chosenLatency().medianMs() / r.referenceLatency().medianMs())).writeTo(a.model());
            if (output != null) OnnxWriter.write(a.model(), output);
        }
        return new Outcome(r, deploy, notes, calibration.size(), task.size(), sha, task.metric().name(), task.metric().higherIsBetter(), engine.name());
    }

    static void print(Outcome o) {
        SearchResult r = o.search();
        System.out.printf(java.util.Locale.ROOT, "automatic precision: %s on %d held-out samples (%d calibration samples, sha256 %s), engine %s%n", o.metric(),
                o.heldOutSamples(), o.calibrationSamples(), o.calibrationSha256(), o.engine());
        System.out.print(r.table());
        System.out.println("chosen plan (step " + r.best() + "):");
        r.plan().forEach((n, p) -> System.out.printf(java.util.Locale.ROOT, "  %-13s %s  (%s)%n", p.id(), n, r.reasons().getOrDefault(n, "")));
        var ref = r.reference();
        var c = r.chosen();
        System.out.printf(java.util.Locale.ROOT, "%s: fp32 %s -> %s, drop %s; size %s -> %s (%.2fx smaller); latency %.3f -> %.3f ms (x%.3f, %s)%n", o.metric(),
                Stats.withInterval(ref.metric()), Stats.withInterval(c.metric()), Stats.withInterval(c.drop()), Sizes.bytes(ref.sizeBytes()), Sizes.bytes(c.sizeBytes()),
                (double) ref.sizeBytes() / c.sizeBytes(), r.referenceLatency().medianMs(), r.chosenLatency().medianMs(),
                r.chosenLatency().medianMs() / r.referenceLatency().medianMs(),
                r.sideBySide() != null ? "timed side by side" : r.best() == 0 ? "the reference itself" : "timed separately during the search");
        if (!o.deployability().isEmpty()) System.out.print(Deployability.table(o.deployability()));
        for (String n : o.notes()) System.out.println("note: " + n);
        for (String n : r.notes()) System.out.println("note: " + n);
    }
}
