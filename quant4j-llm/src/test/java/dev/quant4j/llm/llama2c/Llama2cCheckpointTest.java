package dev.quant4j.llm.llama2c;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cCheckpointTest {
    static final String STORIES = "llm/stories260K.bin";

    @Test
    void readsStories260K() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require(STORIES))) {
            LlamaConfig c = ck.config();
            assertEquals(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 10000f, 1e-5f), c);
            assertTrue(ck.sharedClassifier());
            assertEquals(1 + 9 * 5 + 2, ck.tensors().size());
            assertEquals(32, ck.tensor("blk.4.attn_v.weight").rows());
            assertEquals(172, ck.tensor("blk.0.ffn_down.weight").cols());
            // Norm weights of a trained model are O(1) and positive-ish; a misplaced offset would read matrix entries.
            float[] norm = ck.tensor("output_norm.weight").toArray();
            double mean = 0;
            for (float v : norm) mean += v / norm.length;
            assertTrue(mean > 0.3 && mean < 10, "final norm mean " + mean);
        }
    }

    /** The exporter stored the RoPE table after the final norm: recomputing it checks every offset before it and our RoPE frequencies. */
    @Test
    void storedRopeTableMatchesRecomputedFrequencies() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require(STORIES))) {
            int hs = ck.config().headSize();
            F32Tensor cos = ck.storedRope(true), sin = ck.storedRope(false);
            for (int pos : new int[] {0, 1, 7, 100, 511})
                for (int i = 0; i < hs / 2; i++) {
                    double angle = pos * Math.pow(10000, -2.0 * i / hs);
                    assertEquals(Math.cos(angle), cos.get(pos, i), 1e-4, "cos pos " + pos + " i " + i);
                    assertEquals(Math.sin(angle), sin.get(pos, i), 1e-4, "sin pos " + pos + " i " + i);
                }
        }
    }

    @Test
    void truncatedFileGivesClearError(@TempDir Path dir) throws IOException {
        byte[] all = Files.readAllBytes(TestData.require(STORIES));
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(all, all.length - 4));
        var e = assertThrows(Llama2cFormatException.class, () -> Llama2cCheckpoint.open(cut));
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("truncated"), e.getMessage());
        Path longer = dir.resolve("long.bin");
        Files.write(longer, Arrays.copyOf(all, all.length + 8));
        e = assertThrows(Llama2cFormatException.class, () -> Llama2cCheckpoint.open(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void unsharedClassifierNeedsItsOwnMatrix(@TempDir Path dir) throws IOException {
        byte[] all = Files.readAllBytes(TestData.require(STORIES));
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(20, -512);
        Path f = dir.resolve("unshared.bin");
        Files.write(f, all);
        var e = assertThrows(Llama2cFormatException.class, () -> Llama2cCheckpoint.open(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // With a classifier appended the same file opens, and output.weight is the appended matrix.
        byte[] more = Arrays.copyOf(all, all.length + 4 * 512 * 64);
        ByteBuffer.wrap(more).order(ByteOrder.LITTLE_ENDIAN).putFloat(all.length, 42f);
        Files.write(f, more);
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(f)) {
            assertFalse(ck.sharedClassifier());
            assertEquals(42f, ck.tensor("output.weight").get(0, 0));
            assertNotEquals(42f, ck.tensor("token_embd.weight").get(0, 0));
        }
    }

    @Test
    void absurdHeaderIsRejectedBeforeAnyAllocation(@TempDir Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {1 << 30, 1 << 30, 1 << 20, 1 << 10, 1 << 10, 1 << 30, 1 << 30}) b.putInt(v);
        Path f = dir.resolve("absurd.bin");
        Files.write(f, b.array());
        var e = assertThrows(Llama2cFormatException.class, () -> Llama2cCheckpoint.open(f));
        assertTrue(e.getMessage().contains("implies"), e.getMessage());
        b.putInt(0, 0);
        Files.write(f, b.array());
        assertThrows(Llama2cFormatException.class, () -> Llama2cCheckpoint.open(f));
        Files.write(f, new byte[5]);
        e = assertThrows(Llama2cFormatException.class, () -> Llama2cCheckpoint.open(f));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }
}
