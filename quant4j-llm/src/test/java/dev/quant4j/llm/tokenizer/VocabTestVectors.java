package dev.quant4j.llm.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * llama.cpp's tokenizer test vectors: {@code X.gguf.inp} holds the inputs, each followed by the line
 * {@code __ggml_vocab_test__}; {@code X.gguf.out} holds one line per input with the expected ids,
 * each written as " id".
 */
record VocabTestVectors(List<String> inputs, List<int[]> expected) {
    static final String MARKER = "\n__ggml_vocab_test__\n";

    static VocabTestVectors read(Path gguf) throws IOException {
        String inp = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8);
        List<String> outLines = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>(Arrays.asList(inp.split(MARKER, -1)));
        if (!inputs.getLast().isEmpty()) throw new IOException(gguf + ".inp does not end with the marker line");
        inputs.removeLast();
        List<int[]> expected = new ArrayList<>();
        for (String line : outLines) {
            String t = line.strip();
            expected.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" +")).mapToInt(Integer::parseInt).toArray());
        }
        if (expected.size() != inputs.size()) {
            throw new IOException(gguf + ": " + inputs.size() + " inputs but " + expected.size() + " output lines");
        }
        return new VocabTestVectors(inputs, expected);
    }
}
