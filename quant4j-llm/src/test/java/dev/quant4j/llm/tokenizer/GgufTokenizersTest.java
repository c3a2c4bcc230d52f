package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad or unsupported metadata gives a clear exception, never a wrong tokenizer. */
class GgufTokenizersTest {

    private static Map<String, Object> llama() {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "▁a"));
        m.put("tokenizer.ggml.scores", new float[] {0, 0, 0, -1});
        m.put("tokenizer.ggml.token_type", new int[] {2, 3, 3, 1});
        return m;
    }

    @Test
    void buildsFromArraysOrLists() {
        Tokenizer t = GgufTokenizers.fromMetadata(llama());
        assertTrue(t instanceof SentencePieceBpe);
        assertEquals(1, t.vocabulary().special().bos(), "llama's default bos");
        assertTrue(t.vocabulary().special().addBos());
    }

    @Test
    void rejectsWhatItCannotTrust() {
        Map<String, Object> m = llama();
        m.remove("tokenizer.ggml.tokens");
        assertMessage(m, IllegalArgumentException.class, "no tokenizer.ggml.tokens");

        m = llama();
        m.put("tokenizer.ggml.scores", new float[] {0, 0});
        assertMessage(m, IllegalArgumentException.class, "2 scores for 4 tokens");

        m = llama();
        m.put("tokenizer.ggml.token_type", new int[] {2, 3, 3, 9});
        assertMessage(m, IllegalArgumentException.class, "token type id 9");

        m = llama();
        m.put("tokenizer.ggml.eos_token_id", 77L);
        assertMessage(m, IllegalArgumentException.class, "eos token id 77 is outside");

        m = llama();
        m.put("tokenizer.ggml.bos_token_id", (1L << 32) + 1);
        assertMessage(m, IllegalArgumentException.class, "bos_token_id is 4294967297, not a token id");

        m = llama();
        m.put("tokenizer.ggml.tokens", "not an array");
        assertMessage(m, IllegalArgumentException.class, "not an array");

        m = llama();
        m.put("tokenizer.ggml.model", "t5");
        assertFalse(GgufTokenizers.isSupported(m));
        assertMessage(m, UnsupportedOperationException.class, "'t5' is not supported");

        m = llama();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.merges", List.of());
        m.put("tokenizer.ggml.pre", "llama-bpe");
        assertFalse(GgufTokenizers.isSupported(m));
        assertMessage(m, UnsupportedOperationException.class, "'llama-bpe' is not supported");
        m.remove("tokenizer.ggml.pre");
        assertFalse(GgufTokenizers.isSupported(m));
        assertMessage(m, UnsupportedOperationException.class, "needs tokenizer.ggml.pre");
    }

    @Test
    void namesTheFileWhenItsTokenizerIsBad(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("no-tokenizer.gguf");
        // a valid GGUF v3 file with one metadata key and no tokenizer keys
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        byte[] key = "general.name".getBytes(StandardCharsets.UTF_8);
        byte[] val = "x".getBytes(StandardCharsets.UTF_8);
        b.putInt(0x46554747).putInt(3).putLong(0).putLong(1);
        b.putLong(key.length).put(key).putInt(8).putLong(val.length).put(val);
        Files.write(f, Arrays.copyOf(b.array(), b.position()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgufTokenizers.fromGguf(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("no tokenizer.ggml.model"), e.getMessage());
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        Tokenizer t = GgufTokenizers.fromMetadata(llama());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {3, 4}));
        assertTrue(e.getMessage().contains("token id 4 is outside the vocabulary (0..3)"), e.getMessage());
    }

    private static void assertMessage(Map<String, Object> m, Class<? extends RuntimeException> type, String part) {
        RuntimeException e = assertThrows(type, () -> GgufTokenizers.fromMetadata(m));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
