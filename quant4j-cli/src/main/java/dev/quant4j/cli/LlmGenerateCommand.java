package dev.quant4j.cli;

import dev.quant4j.llm.model.GenerateMain;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quant4j llm generate}: wraps {@link GenerateMain} (token ids in, token ids out). */
@Command(name = "generate", description = "Generate token ids from a prompt of token ids (prints the ids; speed on stderr).")
final class LlmGenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "llama2.c .bin, .gguf, or a Hugging Face safetensors folder.")
    Path model;

    @Option(names = {"-p", "--prompt"}, required = true, split = ",", paramLabel = "IDS", description = "Prompt token ids, comma-separated (e.g. 1,403,12).")
    List<Integer> prompt;

    @Option(names = {"-n", "--steps"}, defaultValue = "64", description = "New tokens to generate (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Sample among the K most likely tokens (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "1", description = "Sampler seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Threads (default: all processors).")
    int threads;

    @Override
    public Integer call() throws Exception {
        LlmFiles.requireReadable(model);
        GenerateMain.main(new String[] {model.toString(), prompt.stream().map(String::valueOf).collect(Collectors.joining(",")), String.valueOf(steps),
                String.valueOf(temperature), String.valueOf(topK), String.valueOf(topP), String.valueOf(seed), String.valueOf(LlmFiles.threads(threads))});
        return Quant4j.OK;
    }
}
