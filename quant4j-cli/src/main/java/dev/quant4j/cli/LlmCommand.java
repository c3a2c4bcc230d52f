package dev.quant4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quant4j llm ...}: the LLM weight jobs of quant4j-llm. */
@Command(name = "llm", description = "LLM weights (llama2.c .bin, GGUF, Hugging Face safetensors folders): quantize, evaluate, generate, tokenize, benchmark.",
        subcommands = {LlmDemoCommand.class, LlmQuantizeCommand.class, LlmPerplexityCommand.class, LlmGenerateCommand.class,
                LlmTokenizeCommand.class, LlmBenchCommand.class})
final class LlmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: one of " + spec.subcommands().keySet());
    }
}
