package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.testkit.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llm commands on stories260K and llama.cpp's vocabulary test files. */
class LlmCommandsTest {
    @Test
    void quantizeWithATensorRuleThenPerplexity(@TempDir Path dir) throws Exception {
        Path in = TestData.require("llm/stories260K.bin");
        Path out = dir.resolve("q4.gguf");
        Cli.Result q = Cli.run("llm", "quantize", in.toString(), out.toString(), "--type", "q4_0", "--tensor-type", "blk\\.0\\.attn_q\\.weight=Q8_0");
        assertEquals(0, q.code(), q.err());
        assertTrue(q.out().contains("wrote " + out), q.out());
        try (GgufFile g = GgufFile.open(out)) {
            assertEquals("Q8_0", g.tensor("blk.0.attn_q.weight").type().name(), "the rule's type was written");
            assertEquals("Q4_0", g.tensor("blk.1.attn_q.weight").type().name(), "the main type elsewhere");
        }
        Cli.Result p = Cli.run("llm", "perplexity", in.toString(), out.toString(), "--sequences", "2", "--length", "40", "--threads", "1");
        assertEquals(0, p.code(), p.err());
        Matcher m = Pattern.compile("tokens (\\d+) +KL ([0-9.]+) .* top-1 ([0-9.]+) +perplexity ([0-9.]+) \\(reference ([0-9.]+)\\)").matcher(p.out());
        assertTrue(m.find(), p.out());
        assertEquals(2 * 39, Integer.parseInt(m.group(1)), "predicted tokens: every position after the first");
        assertTrue(Double.parseDouble(m.group(2)) > 0, "Q4_0 differs from fp32");
        double top1 = Double.parseDouble(m.group(3));
        assertTrue(top1 > 0 && top1 < 1, p.out());
    }

    @Test
    void generateGreedyIsDeterministicAndInVocabulary() {
        Path in = TestData.require("llm/stories260K.bin");
        Cli.Result a = Cli.run("llm", "generate", in.toString(), "-p", "1,300", "-n", "12", "--temperature", "0");
        Cli.Result b = Cli.run("llm", "generate", in.toString(), "-p", "1,300", "-n", "12", "--temperature", "0", "--threads", "1");
        assertEquals(0, a.code(), a.err());
        int[] ids = Arrays.stream(a.out().trim().replaceAll("[\\[\\]]", "").split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        assertEquals(14, ids.length);
        assertEquals(1, ids[0]);
        assertEquals(300, ids[1]);
        for (int id : ids) assertTrue(id >= 0 && id < 512, "vocab 512: " + id);
        assertEquals(a.out(), b.out(), "greedy output does not depend on the thread count");
        assertTrue(a.err().contains("tok/s"), a.err());
    }

    /**
     * Text in, text out, with the tokenizer the GGUF carries (llama.cpp's llama-spm vocabulary on a small
     * random model): greedy text equals the ids mode's continuation decoded by the same tokenizer.
     */
    @Test
    void generateTextWithTheModelsOwnTokenizer(@TempDir Path dir) throws Exception {
        Path vocab = TestData.require("llm/gguf-vocab/ggml-vocab-llama-spm.gguf");
        Path model = dir.resolve("tiny.gguf");
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined(); GgufFile v = GgufFile.open(vocab)) {
            var config = new dev.quant4j.llm.model.LlamaConfig(64, 128, 1, 4, 2, 32000, 64, 10000f, 1e-5f);
            dev.quant4j.llm.quantize.GgufExport.write(dev.quant4j.llm.bench.RandomLlama.build(config, dev.quant4j.llm.quant.GgmlType.Q8_0, 3, arena),
                    model, "tiny", dev.quant4j.llm.quant.GgmlType.Q8_0, v);
        }
        String text = "Hello world, it is";
        Cli.Result t = Cli.run("llm", "generate", model.toString(), "--text", text, "-n", "10", "--temperature", "0", "--ignore-eos", "--threads", "1");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith(text), t.out());
        assertTrue(t.err().contains("10 new tokens"), t.err());
        var tk = dev.quant4j.llm.tokenizer.GgufTokenizers.fromGguf(vocab);
        int[] prompt = tk.encode(text, true, false);
        assertEquals(1, prompt[0], "BOS first, as the vocabulary asks");
        Cli.Result i = Cli.run("llm", "generate", model.toString(), "-p", Arrays.stream(prompt).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                "-n", "10", "--temperature", "0", "--threads", "1");
        assertEquals(0, i.code(), i.err());
        int[] all = Arrays.stream(i.out().trim().replaceAll("[\\[\\]]", "").split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        String expected = tk.decode(all);
        assertEquals(expected.stripTrailing(), t.out().stripTrailing(), "text mode = ids mode decoded");

        Path llama2c = TestData.require("llm/stories260K.bin");
        Cli.Result none = Cli.run("llm", "generate", llama2c.toString(), "--text", "Once");
        assertEquals(Quant4j.BAD_INPUT, none.code(), none.err());
        assertTrue(none.err().contains(llama2c + ": carries no tokenizer"), none.err());
        Cli.Result mismatch = Cli.run("llm", "generate", llama2c.toString(), "--text", "Once", "--tokenizer", vocab.toString());
        assertEquals(Quant4j.BAD_INPUT, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().contains("the tokenizer has 32000 tokens, the model 512"), mismatch.err());
    }

    /** llama.cpp's own test vectors: {@code .inp} texts and the ids llama.cpp produces ({@code .out}). */
    @Test
    void tokenizeMatchesLlamaCppTestVectors() throws Exception {
        Path gguf = TestData.require("llm/gguf-vocab/ggml-vocab-llama-spm.gguf");
        String[] texts = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8).split("\n__ggml_vocab_test__\n", -1);
        String[] ids = Files.readString(Path.of(gguf + ".out"), StandardCharsets.UTF_8).split("\n", -1);
        int checked = 0;
        for (int i = 0; i < texts.length && checked < 3; i++) {
            if (texts[i].isBlank() || ids[i].isBlank()) continue;
            Cli.Result r = Cli.run("llm", "tokenize", gguf.toString(), texts[i]);
            assertEquals(0, r.code(), r.err());
            String want = "[" + String.join(", ", ids[i].trim().split(" ")) + "]";
            assertTrue(r.out().startsWith(ids[i].trim().split(" ").length + " tokens: " + want), texts[i] + " -> " + r.out());
            checked++;
        }
        assertEquals(3, checked);
        Cli.Result d = Cli.run("llm", "tokenize", gguf.toString(), "--decode", "474", "287", "29871", "29946", "29871", "30226", "7378");
        assertEquals(0, d.code(), d.err());
        assertEquals("ied 4 ½ months", d.out().strip());
        Cli.Result outside = Cli.run("llm", "tokenize", gguf.toString(), "--decode", "99999999");
        assertEquals(2, outside.code(), outside.err());
    }

    @Test
    void demoReportsEveryTypeAgainstFp32() throws Exception {
        Path in = TestData.require("llm/stories260K.bin");
        Cli.Result r = Cli.run("llm", "demo", "--model", in.toString(), "--sequences", "2", "--length", "32", "--decode-tokens", "8", "--rounds", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("quantizing to Q4_K"), "progress on stderr");
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode rows = j.get("rows");
        assertEquals(4, rows.size());
        assertEquals(Files.size(in), rows.get(0).get("fileBytes").asLong());
        assertTrue(rows.get(0).get("klMean").isNull(), "fp32 is the reference");
        for (int i = 1; i < 4; i++) {
            JsonNode x = rows.get(i);
            assertTrue(x.get("fileBytes").asLong() < Files.size(in) / 2, x.toString());
            assertTrue(x.get("bitsPerWeight").asDouble() < 16, x.toString());
            assertTrue(x.get("klMean").asDouble() > 0, x.toString());
            assertTrue(x.get("decodeTokensPerSecond").asDouble() > 0, x.toString());
        }
        // 8-bit blocks lose less than 4-bit blocks of the same layout.
        assertTrue(rows.get(1).get("klMean").asDouble() < rows.get(2).get("klMean").asDouble(), rows.toString());
        assertTrue(rows.get(1).get("fileBytes").asLong() > rows.get(2).get("fileBytes").asLong(), rows.toString());
        assertEquals(2 * 31, j.get("heldOutTokens").asLong());
    }
}
