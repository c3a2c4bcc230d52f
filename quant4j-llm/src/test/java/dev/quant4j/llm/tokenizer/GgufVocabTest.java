package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vocabulary in {@code llm/gguf-vocab} that the tokenizers claim is checked case by case
 * against llama.cpp's published test vectors (ids produced by the reference tokenizers); the
 * vocabularies not claimed are listed.
 */
class GgufVocabTest {
    /** The vocabularies this package must claim; a regression that drops one fails here. */
    private static final Set<String> MUST_CLAIM = Set.of("llama-spm", "gpt-2", "bert-bge");

    @TestFactory
    Stream<DynamicNode> everyClaimedVocabularyPassesEveryCase() throws IOException {
        Path dir = TestData.require("llm/gguf-vocab");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("ggml-vocab-.*\\.gguf")).sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        Set<String> claimed = new TreeSet<>();
        Set<String> unclaimed = new TreeSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString().replaceAll("^ggml-vocab-|\\.gguf$", "");
            Map<String, Object> meta;
            try (GgufFile g = GgufFile.open(f)) {
                meta = g.metadata();
            }
            if (!GgufTokenizers.isSupported(meta)) {
                unclaimed.add(name + " (model " + meta.get("tokenizer.ggml.model") + ", pre " + meta.get("tokenizer.ggml.pre") + ")");
                continue;
            }
            claimed.add(name);
            Tokenizer tok = GgufTokenizers.fromGguf(f);
            nodes.add(DynamicContainer.dynamicContainer(name, cases(name, tok, VocabTestVectors.read(f))));
        }
        System.out.println("claimed vocabularies: " + claimed + "; not claimed: " + unclaimed);
        nodes.add(DynamicTest.dynamicTest("claims " + MUST_CLAIM, () -> assertTrue(claimed.containsAll(MUST_CLAIM), "claimed only " + claimed)));
        return nodes.stream();
    }

    private static Stream<DynamicNode> cases(String name, Tokenizer tok, VocabTestVectors v) {
        // byte-level and byte-fallback BPE lose nothing, so the expected ids must decode to the input
        boolean lossless = !(tok instanceof WordPiece);
        List<DynamicNode> tests = new ArrayList<>();
        for (int i = 0; i < v.inputs().size(); i++) {
            String in = v.inputs().get(i);
            int[] want = v.expected().get(i);
            String label = "#" + i + " " + shorten(in);
            tests.add(DynamicTest.dynamicTest("encode " + label, () -> assertArrayEquals(want, tok.encode(in), name + " " + label)));
            if (lossless) tests.add(DynamicTest.dynamicTest("decode " + label, () -> assertEquals(in, tok.decode(want))));
            tests.add(DynamicTest.dynamicTest("stream " + label, () -> assertEquals(tok.decode(want), streamed(tok, want))));
        }
        return tests.stream().map(DynamicNode.class::cast);
    }

    /** The ids decoded one at a time, as generation prints them. */
    private static String streamed(Tokenizer tok, int[] ids) {
        StreamingDecoder d = tok.streamingDecoder();
        StringBuilder b = new StringBuilder();
        for (int id : ids) b.append(d.push(id));
        return b.append(d.flush()).toString();
    }

    private static String shorten(String s) {
        String e = s.replace("\n", "\\n").replace("\t", "\\t");
        return "'" + (e.length() > 40 ? e.substring(0, 40) + "…" : e) + "'";
    }
}
