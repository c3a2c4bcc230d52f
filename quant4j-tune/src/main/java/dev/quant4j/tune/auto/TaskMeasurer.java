package dev.quant4j.tune.auto;

import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.Models;
import dev.quant4j.tune.PlanApplier;
import dev.quant4j.tune.QuantizationPlan;
import dev.quant4j.tune.TaskResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a plan the way automatic precision needs it: applied to the float model in one call,
 * scored on the held-out samples against the fp32 reference (paired), serialized for its size in
 * bytes, and timed on the task's engine on one held-out input. A node the quantizers did not
 * quantize is recorded as fp32 in the measured plan, so the plan reported is the plan measured.
 */
public final class TaskMeasurer<R> implements AutoPrecision.Measurer {
    private final PlanApplier applier;
    private final Evaluator<R> evaluator;
    private final Map<String, Tensor> timingFeeds;
    private final int warmupRuns, timedRuns;
    private final List<String> notes = new ArrayList<>();

    /** @param timingFeeds one held-out input the latency is measured on */
    public TaskMeasurer(PlanApplier applier, Evaluator<R> evaluator, Map<String, Tensor> timingFeeds, int warmupRuns, int timedRuns) {
        this.applier = applier;
        this.evaluator = evaluator;
        this.timingFeeds = Map.copyOf(timingFeeds);
        this.warmupRuns = warmupRuns;
        this.timedRuns = timedRuns;
    }

    /** Nodes a plan asked for that the quantizers kept, with their reasons. */
    public List<String> notes() { return List.copyOf(notes); }

    @Override
    public Measurement measure(Map<String, Precision> plan) throws Exception {
        try (PlanApplier.Applied a = applier.apply(new QuantizationPlan(plan))) {
            Map<String, Precision> measured = new LinkedHashMap<>(plan);
            for (PlanApplier.NotApplied n : a.notApplied()) {
                measured.put(n.node(), Precision.FP32);
                String note = n.node() + " " + n.precision().id() + " not applied: " + n.reason();
                if (!notes.contains(note)) notes.add(note);
            }
            long bytes = Models.serializedBytes(a.model());
            Engine engine = evaluator.engine();
            try (Engine.Runner r = engine.open(a.model())) {
                TaskResult t = evaluator.score(evaluator.run(r));
                Latency latency = SideBySide.time(List.of(() -> r.run(timingFeeds)), warmupRuns, timedRuns).getFirst();
                return new Measurement(measured, t.candidate(), drop(t), bytes, latency);
            }
        }
    }

    /** Each plan applied and opened, then all timed in interleaved rounds (three times the usual count). */
    @Override
    public List<Latency> timeSideBySide(List<Map<String, Precision>> plans) throws Exception {
        List<PlanApplier.Applied> applied = new ArrayList<>();
        List<Engine.Runner> runners = new ArrayList<>();
        try {
            for (Map<String, Precision> p : plans) {
                applied.add(applier.apply(new QuantizationPlan(p)));
                runners.add(evaluator.engine().open(applied.getLast().model()));
            }
            List<SideBySide.Work> work = new ArrayList<>();
            for (Engine.Runner r : runners) work.add(() -> r.run(timingFeeds));
            return SideBySide.time(work, warmupRuns, 3 * timedRuns);
        } finally {
            runners.forEach(Engine.Runner::close);
            applied.forEach(PlanApplier.Applied::close);
        }
    }

    /** The paired drop, positive = worse, with its interval. */
    static MetricResult drop(TaskResult t) {
        double[] ci = t.dropInterval();
        MetricResult d = t.comparison().difference();
        return new MetricResult(t.drop(), ci[0], ci[1], d.n(), "paired: " + d.method());
    }
}
