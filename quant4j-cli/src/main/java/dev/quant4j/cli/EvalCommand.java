package dev.quant4j.cli;

import dev.quant4j.eval.Bootstrap;
import dev.quant4j.eval.MetricResult;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.tune.Evaluator;
import dev.quant4j.tune.Metric;
import dev.quant4j.tune.Task;
import dev.quant4j.tune.TaskResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant4j eval MODEL --data DATA}: a task metric with its bootstrap interval; with
 * {@code --reference MODEL}, both models on the same samples and the paired difference.
 */
@Command(name = "eval", description = {"Score a model on data, with a 95%% bootstrap interval.",
        "Top-1 accuracy on labelled data, or agreement with a reference model; with --reference, both models on the same samples and their paired difference."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL.onnx", description = "The model to score.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Samples: FILE.npy, FILE.npz (arrays named like the inputs), IDX, a folder of images (class sub-folders = labels; see --mean, --std, --resize), or builtin:fashion.")
    String dataSpec;

    @Mixin
    DataOptions data;

    @Option(names = "--reference", paramLabel = "MODEL.onnx", description = "Compare with this model (e.g. the fp32 original) on the same samples.")
    Path reference;

    @Mixin
    TaskOptions taskOptions;

    @Override
    public Integer call() throws Exception {
        try (Model m = OnnxReader.read(model); Model ref = reference == null ? null : OnnxReader.read(reference)) {
            SampleData d = data.open(dataSpec, m);
            EvalSetup.TaskKind kind = taskOptions.kind(d);
            if (!kind.needsLabels() && ref == null)
                throw new CommandLine.ParameterException(spec.commandLine(), "--task " + kind.id() + " compares with a reference: give --reference MODEL");
            Task<?> task = EvalSetup.task(kind, d, m, taskOptions.output);
            Progress.note("evaluating %d samples of %s on %s", d.size(), d.name(), taskOptions.engine.id());
            Result r = ref == null ? alone(task, m) : paired(task, ref, m);
            if (taskOptions.json) System.out.println(Json.write(r));
            else print(r);
        }
        return Quant4j.OK;
    }

    private <R> Result alone(Task<R> task, Model m) {
        Evaluator<R> ev = new Evaluator<>(task, taskOptions.engine.engine(taskOptions.threads), m, Bootstrap.of(taskOptions.seed));
        return new Result(task.name(), task.metric(), taskOptions.engine.id(), model.toString(), null, ev.referenceResult(), null, null);
    }

    private <R> Result paired(Task<R> task, Model ref, Model m) {
        Evaluator<R> ev = new Evaluator<>(task, taskOptions.engine.engine(taskOptions.threads), ref, Bootstrap.of(taskOptions.seed));
        TaskResult t = ev.evaluate(m);
        double[] ci = t.dropInterval();
        return new Result(task.name(), task.metric(), taskOptions.engine.id(), model.toString(), reference.toString(), t.candidate(), t.reference(),
                new MetricResult(t.drop(), ci[0], ci[1], t.candidate().n(), "paired: " + t.comparison().difference().method()));
    }

    /** {@code drop} is positive when the model is worse than the reference, in the metric's units. */
    record Result(String task, Metric metric, String engine, String model, String reference, MetricResult value, MetricResult referenceValue,
                  MetricResult drop) {}

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%s on %s%n", r.task(), r.engine());
        System.out.printf(Locale.ROOT, "  %-10s %s: %s%n", "model", r.metric().name(), Stats.withInterval(r.value()));
        if (r.referenceValue() != null) {
            System.out.printf(Locale.ROOT, "  %-10s %s: %s%n", "reference", r.metric().name(), Stats.withInterval(r.referenceValue()));
            System.out.printf(Locale.ROOT, "  drop (reference - model, paired; positive = worse): %s%n", Stats.withInterval(r.drop()));
        }
        System.out.printf(Locale.ROOT, "  n = %d samples; %s%n", r.value().n(), r.value().method());
    }
}
