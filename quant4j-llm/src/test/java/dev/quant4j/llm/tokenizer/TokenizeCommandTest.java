package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenizeCommandTest {

    private static String run(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int code = TokenizeCommand.run(args, new PrintStream(b, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void encodesAndDecodesAGgufFile() {
        String gguf = VocabFiles.path("gpt-2").toString();
        // published vector: "Hello, world!" → 15496 11 995 0
        assertTrue(run(gguf, "Hello,", "world!").startsWith("4 tokens: [15496, 11, 995, 0]"));
        assertEquals("Hello, world!" + System.lineSeparator(), run(gguf, "--decode", "15496", "11", "995", "0"));
    }

    @Test
    void refusesBadIdsWithAMessage() {
        String gguf = VocabFiles.path("gpt-2").toString();
        assertEquals(1, TokenizeCommand.run(new String[] {gguf, "--decode", "50257"}, new PrintStream(new ByteArrayOutputStream())));
        assertEquals(1, TokenizeCommand.run(new String[] {gguf, "--decode", "x"}, new PrintStream(new ByteArrayOutputStream())));
    }
}
