package dev.quant4j.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    @Test
    void holdsBackACharacterCutBetweenTokens() {
        // published GPT-2 vector: " this is 🦙.cpp" → 428 318 12520 99 247 13 20322 (🦙 spans 3 tokens)
        StreamingDecoder d = VocabFiles.tokenizer("gpt-2").streamingDecoder();
        List<String> parts = new ArrayList<>();
        for (int id : new int[] {428, 318, 12520, 99, 247, 13, 20322}) parts.add(d.push(id));
        assertEquals(List.of(" this", " is", " ", "", "🦙", ".", "cpp"), parts);
        assertEquals("", d.flush());
    }

    @Test
    void dropsOnlyTheFirstSpacePrefix() {
        // published llama vector: "Hello world" → 15043 3186
        StreamingDecoder d = VocabFiles.tokenizer("llama-spm").streamingDecoder();
        assertEquals("", d.push(1), "BOS prints nothing");
        assertEquals("Hello", d.push(15043));
        assertEquals(" world", d.push(3186));
    }

    @Test
    void completeLengthStopsBeforeAnUnfinishedCharacter() {
        byte[] llama = "a🦙".getBytes(StandardCharsets.UTF_8); // 61 F0 9F A6 99
        for (int cut = 2; cut <= 4; cut++) {
            assertEquals(1, StreamingDecoder.completeLength(java.util.Arrays.copyOf(llama, cut)), "cut at " + cut);
        }
        assertEquals(5, StreamingDecoder.completeLength(llama));
        assertEquals(2, StreamingDecoder.completeLength(new byte[] {'a', (byte) 0x80}), "a stray continuation byte is not held");
        assertEquals(1, StreamingDecoder.completeLength(new byte[] {'a', (byte) 0xC3}));
    }
}
