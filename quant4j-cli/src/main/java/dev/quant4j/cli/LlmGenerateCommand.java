package dev.quant4j.cli;

import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.GenerateMain;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.model.ModelFile;
import dev.quant4j.llm.model.Sampler;
import dev.quant4j.llm.tokenizer.GgufTokenizers;
import dev.quant4j.llm.tokenizer.StreamingDecoder;
import dev.quant4j.llm.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quant4j llm generate}: text in, text out (streamed as it is generated) with the tokenizer
 * a GGUF file carries, or token ids in and out ({@link GenerateMain}) for models without one.
 */
@Command(name = "generate", description = "Continue a prompt: --text (tokenized by the model's GGUF tokenizer, the continuation streamed as text) "
        + "or --prompt token ids (prints the ids). Speed on stderr.")
final class LlmGenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "llama2.c .bin, .gguf, or a Hugging Face safetensors folder.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(names = {"-t", "--text"}, paramLabel = "TEXT", description = "Prompt text (BOS added as the tokenizer asks).")
        String text;

        @Option(names = {"-p", "--prompt"}, split = ",", paramLabel = "IDS", description = "Prompt token ids, comma-separated (e.g. 1,403,12).")
        List<Integer> ids;
    }

    @Option(names = "--tokenizer", paramLabel = "VOCAB.gguf", description = "Take the tokenizer from this GGUF instead of MODEL (e.g. for a llama2.c checkpoint).")
    Path tokenizerFile;

    @Option(names = "--ignore-eos", description = "With --text: keep generating after the end-of-sequence token.")
    boolean ignoreEos;

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
        if (tokenizerFile != null) LlmFiles.requireReadable(tokenizerFile);
        if (prompt.ids != null) {
            if (tokenizerFile != null) throw new BadInputException(tokenizerFile, "--tokenizer goes with --text; --prompt takes token ids");
            GenerateMain.main(new String[] {model.toString(), prompt.ids.stream().map(String::valueOf).collect(Collectors.joining(",")), String.valueOf(steps),
                    String.valueOf(temperature), String.valueOf(topK), String.valueOf(topP), String.valueOf(seed), String.valueOf(LlmFiles.threads(threads))});
            return Quant4j.OK;
        }
        try (ModelFile mf = ModelFile.open(model)) {
            Tokenizer tk = tokenizer(mf);
            LlamaModel m = mf.model();
            Path from = tokenizerFile != null ? tokenizerFile : model;
            if (tk.vocabulary().size() != m.config().vocabSize())
                throw new BadInputException(from, "the tokenizer has " + tk.vocabulary().size() + " tokens, the model " + m.config().vocabSize() + ": they do not belong together");
            int[] ids = tk.encode(prompt.text, true, false);
            int ctx = m.config().seqLen();
            if (ids.length == 0) throw new BadInputException(model, "the prompt text gives no tokens");
            if (ids.length >= ctx) throw new BadInputException(model, "the prompt is " + ids.length + " tokens; the model's context is " + ctx);
            generate(m, tk, ids, Math.min(ctx, ids.length + steps));
        }
        return Quant4j.OK;
    }

    private void generate(LlamaModel m, Tokenizer tk, int[] ids, int total) {
        PrintStream out = System.out;
        StreamingDecoder decoder = tk.streamingDecoder();
        for (int id : ids) decoder.push(id); // so that the continuation decodes as it follows the prompt
        Forward f = new Forward(m, LlmFiles.threads(threads));
        Sampler sampler = new Sampler(temperature, topK, topP, seed);
        int eos = tk.vocabulary().special().eos();
        out.print(prompt.text);
        long t0 = System.nanoTime();
        float[] logits = f.prefill(ids, 0);
        long t1 = System.nanoTime();
        int made = 0;
        for (int pos = ids.length; pos < total; pos++) {
            int id = sampler.sample(logits);
            if (id == eos && !ignoreEos) break;
            out.print(decoder.push(id));
            out.flush();
            made++;
            if (pos + 1 < total) logits = f.forward(id, pos);
        }
        out.println(decoder.flush());
        double prefill = (t1 - t0) / 1e9, decode = (System.nanoTime() - t1) / 1e9;
        System.err.printf(Locale.ROOT, "prompt %d tokens in %.2f s (%.1f tok/s); %d new tokens in %.2f s (%.1f tok/s)%n",
                ids.length, prefill, ids.length / prefill, made, decode, made / decode);
    }

    private Tokenizer tokenizer(ModelFile mf) {
        if (tokenizerFile != null) return GgufTokenizers.fromGguf(tokenizerFile);
        if (mf.gguf() == null || !GgufTokenizers.isSupported(mf.gguf().metadata()))
            throw new BadInputException(model, "carries no tokenizer quant4j can use (supported: " + GgufTokenizers.supportedModels()
                    + "); give --tokenizer VOCAB.gguf, or token ids with --prompt");
        return GgufTokenizers.fromGguf(mf.gguf());
    }
}
