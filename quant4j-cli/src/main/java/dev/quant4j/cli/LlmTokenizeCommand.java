package dev.quant4j.cli;

import dev.quant4j.llm.tokenizer.GgufTokenizers;
import dev.quant4j.llm.tokenizer.TokenizeCommand;
import dev.quant4j.llm.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant4j llm tokenize}: wraps {@link TokenizeCommand}. Its {@code main} ends the JVM on an
 * error, so the tokenizer is loaded and the ids are checked here first (one extra load of the vocabulary).
 */
@Command(name = "tokenize", description = "Show how a GGUF file's tokenizer cuts a text (ids and vocabulary entries), or decode ids to text.")
final class LlmTokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.gguf", description = "A GGUF file with a tokenizer (llama SentencePiece, GPT-2 BPE, BERT WordPiece).")
    Path model;

    @Parameters(index = "1..*", paramLabel = "TEXT|ID", description = "The text to encode, or with --decode the ids to decode.")
    List<String> rest = new ArrayList<>();

    @Option(names = "--special", description = "Add BOS/EOS and parse special tokens in the text.")
    boolean special;

    @Option(names = "--decode", description = "Decode token ids to text.")
    boolean decode;

    @Override
    public Integer call() {
        LlmFiles.requireReadable(model);
        if (rest.isEmpty()) throw new ParameterException(spec.commandLine(), decode ? "no ids to decode" : "no text to encode");
        if (special && decode) throw new ParameterException(spec.commandLine(), "--special and --decode exclude each other");
        Tokenizer t;
        try {
            t = GgufTokenizers.fromGguf(model);
        } catch (RuntimeException e) {
            if (Failures.badInput(e) != null) throw e;
            throw new BadInputException(model, "no usable tokenizer: " + Failures.message(e));
        }
        if (decode)
            for (String s : rest) {
                int id;
                try {
                    id = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "not a token id: " + s);
                }
                if (id < 0 || id >= t.vocabulary().size())
                    throw new ParameterException(spec.commandLine(), "token id " + id + " outside the vocabulary [0, " + t.vocabulary().size() + ")");
            }
        List<String> a = new ArrayList<>(List.of(model.toString()));
        if (decode) a.add("--decode");
        if (special) a.add("--special");
        a.addAll(rest);
        TokenizeCommand.main(a.toArray(String[]::new));
        return Quant4j.OK;
    }
}
