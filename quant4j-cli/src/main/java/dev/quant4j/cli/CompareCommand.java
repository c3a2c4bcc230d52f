package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quant4j compare FP32 QUANT... --data DATA}: the before/after table. */
@Command(name = "compare", description = {"Compare a reference model with quantized ones: the before/after table.",
        "On the same samples: the metric before and after with the paired drop, agreement of predictions, McNemar's test, file size, and latency timed side by side."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "MODEL.onnx", description = "The reference (e.g. fp32) first, then the models to compare with it.")
    List<Path> models;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Samples: FILE.npy, FILE.npz (arrays named like the inputs), IDX, a folder of images (class sub-folders = labels; see --mean, --std, --resize), or builtin:fashion.")
    String dataSpec;

    @Mixin
    DataOptions data;

    @Mixin
    TaskOptions taskOptions;

    @Mixin
    TimingOptions timing;

    @Override
    public Integer call() throws Exception {
        List<Model> open = new ArrayList<>();
        try {
            Comparison.Result r = run(open);
            if (taskOptions.json) System.out.println(Json.write(r));
            else Comparison.print(r);
        } finally {
            for (Model m : open) m.close();
        }
        return Quant4j.OK;
    }

    Comparison.Result run(List<Model> open) throws Exception {
        List<Comparison.Candidate> cands = new ArrayList<>();
        for (Path p : models) {
            Model m = OnnxReader.read(p);
            open.add(m);
            cands.add(new Comparison.Candidate(p.getFileName().toString(), p.toString(), Files.size(p), m));
        }
        SampleData d = data.open(dataSpec, open.getFirst());
        EvalSetup.TaskKind kind = taskOptions.kind(d);
        var task = EvalSetup.task(kind, d, open.getFirst(), taskOptions.output);
        return Comparison.run(cands, task, kind.needsLabels() ? d.labels() : null, taskOptions.engine.engine(taskOptions.threads), taskOptions.seed,
                d.batch(0, 1), timing.warmup, timing.runs);
    }
}
