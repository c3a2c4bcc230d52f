package dev.quant4j.cli;

import picocli.CommandLine.Option;

/** What to score and where: the task, the output it reads, the engine, the bootstrap seed (eval, compare, report). */
final class TaskOptions {
    @Option(names = "--task", converter = EvalSetup.TaskKind.Converter.class, paramLabel = "TASK",
            description = "classification (labelled data), cosine, sqnr, kl or top1-agreement (with a reference) (default: classification when labelled, else cosine).")
    EvalSetup.TaskKind task;

    @Option(names = "--model-output", paramLabel = "NAME", description = "The model output the task reads (default: the first).")
    String output;

    @Option(names = "--engine", defaultValue = "quant4j", converter = EngineChoice.Converter.class, paramLabel = "quant4j|ort",
            description = "The engine that runs the models (default: ${DEFAULT-VALUE}).")
    EngineChoice engine;

    @Option(names = "--threads", defaultValue = "1", description = "Engine threads (default: ${DEFAULT-VALUE}; 0 = the engine's own choice).")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    EvalSetup.TaskKind kind(SampleData d) { return task != null ? task : EvalSetup.defaultKind(d); }
}
