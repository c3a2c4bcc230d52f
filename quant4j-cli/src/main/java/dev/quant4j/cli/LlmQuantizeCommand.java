package dev.quant4j.cli;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quantize.Method;
import dev.quant4j.llm.quantize.QuantizeMain;
import dev.quant4j.llm.quantize.TypeRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quant4j llm quantize}: wraps {@link QuantizeMain}; options are checked here so that mistakes are usage errors. */
@Command(name = "quantize", description = "Quantize LLM weights to a GGUF file, printing every tensor's decision and fallback.")
final class LlmQuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "llama2.c .bin, .gguf, or a Hugging Face safetensors folder.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.gguf", description = "The GGUF file to write (through a temporary file; never the input).")
    Path out;

    @Option(names = {"-t", "--type"}, defaultValue = "Q4_K", description = "Main block type: Q8_0, Q6_K, Q5_K, Q5_0, Q5_1, Q4_K, Q4_0, Q4_1, F16, ... (default: ${DEFAULT-VALUE}).")
    GgmlType type;

    @Option(names = "--tensor-type", paramLabel = "REGEX=TYPE", converter = RuleCheck.class,
            description = "Type for the tensors whose GGUF name matches REGEX (whole name), e.g. 'blk\\.0\\..*=Q8_0'; repeatable, first match wins.")
    List<String> tensorTypes = new ArrayList<>();

    @Option(names = "--method", defaultValue = "RTN", description = "RTN (round to nearest), IMPORTANCE (activation-weighted scales) or GPTQ (default: ${DEFAULT-VALUE}).")
    Method method;

    @Option(names = "--awq", description = "Scale weight columns by activation statistics before quantizing (AWQ).")
    boolean awq;

    @Option(names = "--no-keep-embeddings", description = "Quantize the token embeddings with the main type too (default: keep them at Q8_0).")
    boolean noKeepEmbeddings;

    @Option(names = "--calib-sequences", defaultValue = "32", description = "Calibration sequences for IMPORTANCE, GPTQ and AWQ (default: ${DEFAULT-VALUE}).")
    int calibSequences;

    @Option(names = "--calib-length", defaultValue = "256", description = "Tokens per calibration sequence (default: ${DEFAULT-VALUE}).")
    int calibLength;

    @Option(names = "--tokenizer-from", paramLabel = "X.gguf", description = "Copy the tokenizer metadata from this GGUF file.")
    Path tokenizerFrom;

    /** Parses the rule now so a bad regex or type name is a usage error, and passes the text on. */
    static final class RuleCheck implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            TypeRule.parse(value);
            return value;
        }
    }

    @Override
    public Integer call() throws Exception {
        LlmFiles.requireReadable(in);
        if (tokenizerFrom != null) LlmFiles.requireReadable(tokenizerFrom);
        List<String> a = new ArrayList<>(List.of(in.toString(), out.toString(), "--type", type.name(), "--method", method.name(),
                "--calib-sequences", String.valueOf(calibSequences), "--calib-length", String.valueOf(calibLength)));
        for (String r : tensorTypes) a.addAll(List.of("--tensor-type", r));
        if (awq) a.add("--awq");
        if (noKeepEmbeddings) a.add("--no-keep-embeddings");
        if (tokenizerFrom != null) a.addAll(List.of("--tokenizer-from", tokenizerFrom.toString()));
        QuantizeMain.main(a.toArray(String[]::new));
        return Quant4j.OK;
    }
}
