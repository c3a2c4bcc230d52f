package dev.quant4j.cli;

import dev.quant4j.llm.model.PerplexityMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quant4j llm perplexity}: wraps {@link PerplexityMain}. */
@Command(name = "perplexity", description = {"Compare a (quantized) model with its reference on held-out sequences the reference writes itself:",
        "KL divergence of the next-token distributions, top-1 agreement, both perplexities."})
final class LlmPerplexityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REFERENCE", description = "The reference model (.bin, .gguf or safetensors folder).")
    Path reference;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "The model to evaluate, same shape as the reference.")
    Path candidate;

    @Option(names = "--sequences", defaultValue = "80", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int sequences;

    @Option(names = "--length", defaultValue = "256", description = "Tokens per sequence, at most the model's context (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the held-out text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Threads (default: all processors).")
    int threads;

    @Override
    public Integer call() throws Exception {
        LlmFiles.requireReadable(reference);
        LlmFiles.requireReadable(candidate);
        PerplexityMain.main(new String[] {reference.toString(), candidate.toString(), String.valueOf(sequences), String.valueOf(length), String.valueOf(seed),
                String.valueOf(LlmFiles.threads(threads))});
        return Quant4j.OK;
    }
}
