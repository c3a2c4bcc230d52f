package dev.quant4j.tune;

import dev.quant4j.eval.Bootstrap;
import dev.quant4j.eval.MetricResult;
import dev.quant4j.eval.PairedComparison;
import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.graph.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a task on an engine: the float reference once (its reductions are cached), then any number
 * of candidates, each scored with a bootstrap interval and compared with the reference on the same
 * samples by a paired bootstrap.
 */
public final class Evaluator<R> {
    private final Task<R> task;
    private final Engine engine;
    private final Bootstrap bootstrap;
    private final List<R> reference;

    public Evaluator(Task<R> task, Engine engine, Model reference, Bootstrap bootstrap) {
        this.task = task;
        this.engine = engine;
        this.bootstrap = bootstrap;
        try (Engine.Runner r = engine.open(reference)) {
            this.reference = List.copyOf(run(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Task<R> task() { return task; }

    public Engine engine() { return engine; }

    public Bootstrap bootstrap() { return bootstrap; }

    /** The float reference's reductions, one per sample. */
    public List<R> referenceOutputs() { return reference; }

    /** The reference's own metric with its interval. */
    public MetricResult referenceResult() {
        return bootstrap.percentile(task.statistic(reference, reference));
    }

    /** Every sample's reduced outputs from {@code runner}. */
    public List<R> run(Engine.Runner runner) {
        List<R> out = new ArrayList<>(task.size());
        for (int i = 0; i < task.size(); i++) out.add(task.reduce(i, runner.run(task.feeds(i))));
        return out;
    }

    public TaskResult evaluate(Model candidate) {
        try (Engine.Runner r = engine.open(candidate)) {
            return score(run(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TaskResult evaluate(byte[] onnx) {
        try (Engine.Runner r = engine.open(onnx)) {
            return score(run(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scores a candidate's reductions against the cached reference. */
    public TaskResult score(List<R> candidate) {
        if (candidate.size() != reference.size())
            throw new IllegalArgumentException("candidate has " + candidate.size() + " samples, reference " + reference.size());
        SampleStatistic ref = task.statistic(reference, reference), cand = task.statistic(candidate, reference);
        PairedComparison p = PairedComparison.of(ref, cand, bootstrap);
        return new TaskResult(task.metric(), p.b(), p.a(), p);
    }

    /** The metric of {@code candidate} only, without intervals (cheap: for ranking many variants). */
    public double value(List<R> candidate) {
        return task.statistic(candidate, reference).value();
    }
}
