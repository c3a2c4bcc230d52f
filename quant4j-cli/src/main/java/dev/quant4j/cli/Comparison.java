package dev.quant4j.cli;

import dev.quant4j.eval.Bootstrap;
import dev.quant4j.eval.McNemar;
import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.Metric;
import dev.quant4j.tune.Task;
import dev.quant4j.tune.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The before/after table: a reference model and candidates scored on the same held-out samples
 * (metric with its interval, the paired drop, agreement of predictions, McNemar's test for
 * accuracy), their file sizes, and their latency timed side by side in one run.
 */
final class Comparison {
    /** A model to compare; the first one given is the reference. */
    record Candidate(String label, String file, long bytes, Model model) {}

    /**
     * @param drop      reference minus candidate, oriented so positive = worse, with its paired interval (null for the reference)
     * @param agreement share of samples where the candidate's prediction equals the reference's (classification; else null)
     */
    record Row(String label, String file, long bytes, MetricResult metric, MetricResult drop, Double agreement, McNemar mcNemar, ModelBench.Row latency) {}

    record Result(String task, Metric metric, String engine, String data, int samples, List<Row> rows) {}

    private Comparison() {}

    static <R> Result run(List<Candidate> models, Task<R> task, int[] labels, Engine engine, long seed, Map<String, Tensor> timingFeeds, int warmup,
                          int runs) throws Exception {
        Candidate ref = models.getFirst();
        Progress.note("scoring %d models on %d samples (%s)", models.size(), task.size(), engine.name());
        Evaluator<R> ev = new Evaluator<>(task, engine, ref.model(), Bootstrap.of(seed));
        List<R> refOut = ev.referenceOutputs();
        List<ModelBench.Row> lat = runs > 0
                ? ModelBench.run(models.stream().map(c -> new ModelBench.Subject(c.label(), c.model(), c.bytes())).toList(), engine, timingFeeds, 1, warmup, runs)
                : null;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(ref.label(), ref.file(), ref.bytes(), ev.referenceResult(), null, null, null, lat == null ? null : lat.getFirst()));
        for (int i = 1; i < models.size(); i++) {
            Candidate c = models.get(i);
            List<R> out;
            try (Engine.Runner r = engine.open(c.model())) {
                out = ev.run(r);
            }
            TaskResult t = ev.score(out);
            double[] ci = t.dropInterval();
            MetricResult drop = new MetricResult(t.drop(), ci[0], ci[1], t.candidate().n(), "paired: " + t.comparison().difference().method());
            Double agree = null;
            McNemar mc = null;
            if (!refOut.isEmpty() && refOut.getFirst() instanceof Integer) {
                int same = 0;
                for (int k = 0; k < out.size(); k++) if (Objects.equals(out.get(k), refOut.get(k))) same++;
                agree = (double) same / out.size();
                if (labels != null) {
                    boolean[] a = new boolean[out.size()], b = new boolean[out.size()];
                    for (int k = 0; k < a.length; k++) {
                        a[k] = Objects.equals(refOut.get(k), labels[k]);
                        b[k] = Objects.equals(out.get(k), labels[k]);
                    }
                    mc = McNemar.exact(a, b);
                }
            }
            rows.add(new Row(c.label(), c.file(), c.bytes(), t.candidate(), drop, agree, mc, lat == null ? null : lat.get(i)));
        }
        return new Result(task.name(), task.metric(), engine.name(), task.name(), task.size(), rows);
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%s; %s on %s, 95%% intervals (bootstrap; drop: paired)%n", r.task(), r.metric().name(), r.engine());
        System.out.println("| model | file size | size vs ref | " + r.metric().name() + " | drop vs ref | agreement | McNemar p | p50 ms | p99 ms | CPU p50 ms | CPU vs ref |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        Row ref = r.rows().getFirst();
        for (Row x : r.rows()) {
            ModelBench.Row l = x.latency();
            System.out.printf(Locale.ROOT, "| %s | %s | %.3fx | %s | %s | %s | %s | %s | %s | %s | %s |%n", x.label(), Sizes.bytes(x.bytes()), (double) x.bytes() / ref.bytes(),
                    Stats.withInterval(x.metric()), x.drop() == null ? "reference" : Stats.withInterval(x.drop()),
                    x.agreement() == null ? "-" : String.format(Locale.ROOT, "%.4f", x.agreement()),
                    x.mcNemar() == null ? "-" : String.format(Locale.ROOT, "%.3g (%d/%d)", x.mcNemar().pValue(), x.mcNemar().onlyA(), x.mcNemar().onlyB()),
                    l == null ? "-" : String.format(Locale.ROOT, "%.3f", l.p50Ms()), l == null ? "-" : String.format(Locale.ROOT, "%.3f", l.p99Ms()),
                    l == null ? "-" : String.format(Locale.ROOT, "%.3f", l.cpuP50Ms()),
                    l == null ? "-" : String.format(Locale.ROOT, "%.3fx", l.cpuP50Ms() / ref.latency().cpuP50Ms()));
        }
        System.out.println("drop: reference minus model, positive = worse; agreement: same prediction as the reference; McNemar: exact two-sided p"
                + " (reference-only / model-only correct). Latency: batch 1, interleaved runs in this process; CPU = the calling thread's CPU time.");
    }
}
