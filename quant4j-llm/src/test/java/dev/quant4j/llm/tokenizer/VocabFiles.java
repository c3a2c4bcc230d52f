package dev.quant4j.llm.tokenizer;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.testkit.TestData;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The real vocabularies of {@code llm/gguf-vocab}, read once per test run. */
final class VocabFiles {
    private static final Map<String, Map<String, Object>> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private VocabFiles() {}

    static Path path(String name) {
        return TestData.require("llm/gguf-vocab/ggml-vocab-" + name + ".gguf");
    }

    static Map<String, Object> metadata(String name) {
        Path p = path(name);
        return CACHE.computeIfAbsent(name, _ -> {
            try (GgufFile f = GgufFile.open(p)) {
                return f.metadata();
            }
        });
    }

    /** One shared tokenizer per vocabulary (tokenizers are immutable). */
    static Tokenizer tokenizer(String name) {
        Map<String, Object> m = metadata(name);
        return TOKENIZERS.computeIfAbsent(name, _ -> GgufTokenizers.fromMetadata(m));
    }
}
