package dev.quant4j.tune.auto;

import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.LayerSensitivity;
import dev.quant4j.tune.Models;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import dev.quant4j.tune.Sensitivity;
import dev.quant4j.tune.SensitivityTable;
import dev.quant4j.tune.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole automatic path in one call, for the command line and the demos: candidate layers and
 * their ladders (from what the quantizers accept), sensitivity on a held-out subset (the harm order),
 * each layer alone built and timed (speed gate), levels the engine cannot run left out, the search,
 * the chosen plan applied, its deployability table, whole-model latency before/after side by side,
 * and the provenance record written into the quantized model's metadata.
 */
public final class AutoQuantizer {
    /**
     * @param ladder             precisions to try, most aggressive first (fp32 is always the last resort)
     * @param sensitivitySamples held-out samples for the per-layer harm estimate (the search uses all)
     * @param includeAdds        whether QDQ Add nodes are candidates (they save no bytes; only integer engines gain)
     */
    public record Settings(MetricBound bound, Objective objective, List<Precision> ladder, int maxEvaluations,
                           int sensitivitySamples, SpeedGate.Settings gate, boolean includeAdds, long seed) {
        public static Settings of(MetricBound bound, Objective objective, List<Precision> ladder) {
            return new Settings(bound, objective, ladder, 24, 20, SpeedGate.Settings.defaults(), false, 2026);
        }
    }

    /** Everything the run measured and decided; closing it closes the quantized model. */
    public record Outcome(SearchResult search, SensitivityTable sensitivity, SpeedGate.Result gate, List<Deployability.Row> deployability,
                          String wholeModelFailure, SpeedGate.ModelSpeed speed, long bytesBefore, long bytesAfter,
                          Provenance provenance, PlanApplier.Applied applied, List<String> notes) implements AutoCloseable {
        public Model model() { return applied.model(); }

        @Override public void close() { applied.close(); }
    }

    private AutoQuantizer() {}

    /**
     * @param calibration       model inputs for static ranges, never held-out samples
     * @param calibrationSource how to name the calibration data in the provenance record
     * @param engine            the target engine; open it with one thread for meaningful CPU times
     */
    public static <R> Outcome run(Model fp32, Iterable<Map<String, Tensor>> calibration, String calibrationSource, Task<R> task,
                                  Engine engine, Settings s, Consumer<String> progress) throws Exception {
        List<String> notes = new ArrayList<>();
        PlanApplier applier = new PlanApplier(fp32, calibration, PlanApplier.Options.defaults());
        Map<String, String> ops = applier.opTypes();
        List<LayerLadder> ladders = new ArrayList<>();
        Map<String, Precision> aggressive = new LinkedHashMap<>();
        applier.allowed().forEach((node, allowed) -> {
            if (!s.includeAdds() && ops.get(node).equals("Add")) return;
            LayerLadder l = LayerLadder.of(node, ops.get(node), s.ladder(), allowed);
            if (l.levels().size() < 2) return;
            ladders.add(l);
            aggressive.put(node, l.at(0));
        });
        applier.refused().forEach((p, why) -> notes.add("the quantizers refuse " + p.id() + " on this model: " + why));
        progress.accept(ladders.size() + " candidate layers");
        if (ladders.isEmpty()) notes.add("no layer accepts any precision of " + s.ladder());

        Evaluator<R> evaluator = new Evaluator<>(task, engine, fp32, Bootstrap.of(s.seed()));
        SensitivityTable sens = null;
        Map<String, Double> harm = new LinkedHashMap<>();
        if (!ladders.isEmpty()) {
            Evaluator<R> quick = new Evaluator<>(task.limit(Math.min(s.sensitivitySamples(), task.size())), engine, fp32, Bootstrap.of(s.seed()));
            sens = Sensitivity.analyze(fp32.graph().name(), applier, quick, aggressive, new Sensitivity.Options(2, 0));
            for (LayerSensitivity row : sens.rows()) harm.put(row.node(), row.dropOnly());
            progress.accept("sensitivity of " + sens.rows().size() + " layers on " + quick.task().size() + " samples");
        }

        Map<String, Tensor> sample = task.feeds(0);
        List<LayerForms.Form> forms = LayerForms.build(fp32, ladders, sample, applier.options());
        SpeedGate.Result gate = SpeedGate.time(forms, engine, s.gate());
        progress.accept("speed gate: " + gate.timings().stream().filter(LayerTiming::paysOff).count() + " of " + gate.timings().size()
                + " layer forms measured faster than fp32 on " + engine.name());
        List<LayerLadder> runnable = Deployability.runnable(ladders, forms, engine, notes);

        TaskMeasurer<R> measurer = new TaskMeasurer<>(applier, evaluator, sample, s.gate().warmupRounds(), Math.max(5, s.gate().rounds() / 2));
        SearchResult search = AutoPrecision.search(runnable, harm, measurer, new AutoPrecision.Settings(s.bound(), s.objective(), s.maxEvaluations()), gate);
        notes.addAll(measurer.notes());
        progress.accept("search: " + search.evaluations() + " candidates measured, step " + search.best() + " chosen");

        PlanApplier.Applied applied = applier.apply(new QuantizationPlan(search.plan()));
        try {
            List<Deployability.Row> rows = Deployability.check(forms, search.plan(), engine, gate);
            String whole = Deployability.runFailure(applied.model(), sample, engine);
            SpeedGate.ModelSpeed speed = whole == null ? SpeedGate.compare(fp32, applied.model(), sample, engine, s.gate()) : null;
            long before = Models.serializedBytes(fp32), after = Models.serializedBytes(applied.model());
            CalibrationDigest digest = CalibrationDigest.of(calibration);
            Provenance p = Provenance.of(
                    Provenance.settings("maxDrop", s.bound().maxDrop(), "relative", s.bound().relative(), "upperConfidence", s.bound().upperConfidence(),
                            "objective", s.objective(), "engine", engine.name(), "ladder", s.ladder(), "maxEvaluations", s.maxEvaluations(),
                            "evaluations", search.evaluations(), "heldOutSamples", task.size(), "task", task.name(), "applier", applier.options()),
                    new Provenance.Calibration(digest.hex(), digest.samples(), calibrationSource),
                    Provenance.tensorActions(fp32, applied.model(), search.plan(), search.reasons()),
                    new Provenance.Deltas(task.metric().name(), search.reference().metric(), search.chosen().metric(), search.chosen().drop(),
                            before, after, engine.name(), speed == null ? null : speed.before(), speed == null ? null : speed.after(),
                            speed == null ? Double.NaN : speed.ratio()));
            p.writeTo(applied.model());
            return new Outcome(search, sens, gate, rows, whole, speed, before, after, p, applied, List.copyOf(notes));
        } catch (Exception | Error e) {
            applied.close();
            throw e;
        }
    }
}
