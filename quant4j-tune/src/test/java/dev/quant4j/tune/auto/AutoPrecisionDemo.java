package dev.quant4j.tune.auto;

import dev.quant4j.eval.Bootstrap;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.LayerSensitivity;
import dev.quant4j.tune.Models;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import dev.quant4j.tune.Sensitivity;
import dev.quant4j.tune.SensitivityTable;
import dev.quant4j.tune.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Automatic precision on a real model, end to end: sensitivity, speed gate, search, deployability,
 * whole-model latency before/after side by side, provenance written and read back.
 *
 * <pre>
 *   java ... dev.quant4j.tune.auto.AutoPrecisionDemo ppocr|minilm|blazeface quant4j|onnxruntime smallest|fastest [held-out samples]
 * </pre>
 * Engines run with one thread, so thread CPU time counts all the work. Long: minutes per model.
 */
public final class AutoPrecisionDemo {
    private AutoPrecisionDemo() {}

    /** A model, its task and the search's settings. */
    record Case<R>(String name, Path model, EvalData<?> calibration, Task<R> task, List<Precision> ladder, MetricBound bound) {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "ppocr";
        Engine engine = args.length > 1 && args[1].equals("onnxruntime") ? Engine.onnxRuntime(1) : SingleThreadQuant4j.ENGINE;
        Objective objective = args.length > 2 && args[2].equals("fastest") ? Objective.FASTEST : Objective.SMALLEST;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        Path tmp = Files.createTempDirectory("auto-precision-demo");
        run(DemoCases.of(which, n, tmp), engine, objective, tmp);
    }

    static <R> SearchResult run(Case<R> c, Engine engine, Objective objective, Path tmp) throws Exception {
        long t0 = System.nanoTime();
        System.out.printf("== %s on %s, objective %s, bound %s, %d held-out samples, %d calibration%n",
                c.name(), engine.name(), objective, c.bound(), c.task().size(), c.calibration().size());
        try (Model fp32 = OnnxReader.read(c.model())) {
            PlanApplier applier = new PlanApplier(fp32, c.calibration().feedsIterable(), PlanApplier.Options.defaults());
            List<LayerLadder> ladders = new ArrayList<>();
            Map<String, Precision> aggressive = new LinkedHashMap<>();
            Map<String, String> ops = applier.opTypes();
            applier.allowed().forEach((node, allowed) -> {
                if (ops.get(node).equals("Add")) return;   // a QDQ Add saves no bytes: only integer engines gain from it
                LayerLadder l = LayerLadder.of(node, ops.get(node), c.ladder(), allowed);
                if (l.levels().size() < 2) return;
                ladders.add(l);
                aggressive.put(node, l.at(0));
            });
            System.out.printf("%d candidate layers (%.1f s)%n", ladders.size(), secs(t0));

            Evaluator<R> evaluator = new Evaluator<>(c.task(), engine, fp32, Bootstrap.of(2026));
            Evaluator<R> quick = new Evaluator<>(c.task().limit(Math.min(20, c.task().size())), engine, fp32, Bootstrap.of(2026));
            SensitivityTable sens = Sensitivity.analyze(c.name(), applier, quick, aggressive, new Sensitivity.Options(2, 0));
            Map<String, Double> harm = new LinkedHashMap<>();
            for (LayerSensitivity s : sens.rows()) harm.put(s.node(), s.dropOnly());
            System.out.println(sens.format(8));
            System.out.printf("sensitivity done (%.1f s)%n", secs(t0));

            Map<String, Tensor> sample = c.task().feeds(0);
            SpeedGate.Settings gateSettings = new SpeedGate.Settings(3, 11, 0.95);
            List<LayerForms.Form> forms = LayerForms.build(fp32, ladders, sample, applier.options());
            SpeedGate.Result gate = SpeedGate.time(forms, engine, gateSettings);
            long pays = gate.timings().stream().filter(LayerTiming::paysOff).count();
            System.out.printf("speed gate: %d of %d layer forms pay off on %s (%.1f s)%n", pays, gate.timings().size(), engine.name(), secs(t0));
            gate.timings().stream().sorted(java.util.Comparator.comparingDouble(LayerTiming::ratio)).limit(5).forEach(t -> System.out.println("  fastest: " + t.node() + " " + t.reason()));

            TaskMeasurer<R> measurer = new TaskMeasurer<>(applier, evaluator, sample, 2, 7);
            SearchResult r = AutoPrecision.search(ladders, harm, measurer, new AutoPrecision.Settings(c.bound(), objective, 24), gate);
            System.out.print(r.table());
            r.notes().forEach(x -> System.out.println("note: " + x));
            measurer.notes().forEach(x -> System.out.println("note: " + x));
            Map<String, Long> count = new java.util.TreeMap<>();
            r.plan().values().forEach(p -> count.merge(p.id(), 1L, Long::sum));
            System.out.printf("chosen (step %d): %s; search %.1f s%n", r.best(), count, secs(t0));

            try (PlanApplier.Applied a = applier.apply(new QuantizationPlan(r.plan()))) {
                List<Deployability.Row> rows = Deployability.check(forms, r.plan(), engine, gate);
                long runs = rows.stream().filter(Deployability.Row::runs).count(), fast = rows.stream().filter(x -> Boolean.TRUE.equals(x.fast())).count();
                System.out.printf("deployability on %s: %d of %d quantized nodes run, %d measured fast%n", engine.name(), runs, rows.size(), fast);
                rows.stream().limit(6).forEach(x -> System.out.print(Deployability.table(List.of(x)).lines().skip(1).findFirst().orElse("") + "\n"));
                String whole = Deployability.runFailure(a.model(), sample, engine);
                System.out.println("whole chosen model on " + engine.name() + ": " + (whole == null ? "runs" : whole));
                SpeedGate.ModelSpeed speed = SpeedGate.compare(fp32, a.model(), sample, engine, new SpeedGate.Settings(3, 15, 0.95));
                System.out.printf("latency fp32 %s%n        chosen %s%n        %s%n", speed.before(), speed.after(), speed.verdict());
                long before = Models.serializedBytes(fp32), after = Models.serializedBytes(a.model());
                System.out.printf("size %d -> %d bytes (x%.3f); metric %s, drop %s%n", before, after, (double) after / before, r.chosen().metric(), r.chosen().drop());
                Provenance p = Provenance.of(
                        Provenance.settings("maxDrop", c.bound().maxDrop(), "relative", c.bound().relative(), "objective", objective, "engine", engine.name(),
                                "ladder", c.ladder(), "evaluations", r.evaluations(), "applier", applier.options()),
                        new Provenance.Calibration(CalibrationDigest.of(c.calibration().feedsIterable()).hex(), c.calibration().size(), c.calibration().name()),
                        Provenance.tensorActions(fp32, a.model(), r.plan(), r.reasons()),
                        new Provenance.Deltas(c.task().metric().name(), r.reference().metric(), r.chosen().metric(), r.chosen().drop(),
                                before, after, engine.name(), speed.before(), speed.after(), speed.ratio()));
                p.writeTo(a.model());
                Path out = tmp.resolve(c.name().replaceAll("\\W+", "_") + "-auto.onnx");
                OnnxWriter.write(a.model(), out);
                try (Model back = OnnxReader.read(out)) {
                    Provenance q = Provenance.readFrom(back).orElseThrow();
                    System.out.printf("wrote %s (%d bytes); provenance read back: %d tensor records, calibration sha256 %s, equal: %s%n",
                            out, Files.size(out), q.tensors().size(), q.calibration().sha256(), q.equals(p));
                }
                Files.writeString(tmp.resolve("search.json"), r.toJson());
            }
            System.out.printf("total %.1f s%n", secs(t0));
            return r;
        }
    }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
