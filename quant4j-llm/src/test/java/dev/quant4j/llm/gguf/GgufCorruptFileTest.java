package dev.quant4j.llm.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.quant.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed GGUF files must fail with a GgufFormatException naming the file, never hang or run out of
 * memory. The class-wide timeout is a guard against a hang (a reader looping on a corrupt count), not
 * a speed requirement: it is far above what the whole class takes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GgufCorruptFileTest {
    @TempDir Path tmp;
    byte[] good;
    Path goodFile;

    /** Byte offsets of fields in the small file written below, found while writing it. */
    static final int TENSOR_COUNT = 8, KV_COUNT = 16, FIRST_KEY_LEN = 24;

    @BeforeEach
    void writeSmallFile() throws IOException {
        goodFile = tmp.resolve("good.gguf");
        new GgufWriter()
                .put("general.architecture", GgufValue.string("llama"))
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, List.of("a", "b", "c")))
                .addTensor("w", GgmlType.Q8_0, new long[] {32, 2}, MemorySegment.ofArray(new byte[68]))
                .write(goodFile);
        good = Files.readAllBytes(goodFile);
        try (GgufFile g = GgufFile.open(goodFile)) {
            assertEquals(1, g.tensors().size());
        }
    }

    GgufFormatException fails(byte[] bytes) throws IOException {
        Path f = tmp.resolve("bad.gguf");
        Files.write(f, bytes);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()), "message names the file: " + e.getMessage());
        return e;
    }

    static byte[] with(byte[] b, int off, long value, int width) {
        byte[] c = b.clone();
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 8) bb.putLong(off, value); else bb.putInt(off, (int) value);
        return c;
    }

    @Test void badMagic() throws IOException {
        byte[] b = good.clone();
        b[0] = 'X';
        assertTrue(fails(b).getMessage().contains("not a GGUF file"));
    }

    @Test void unsupportedVersions() throws IOException {
        assertTrue(fails(with(good, 4, 1, 4)).getMessage().contains("version 1"));
        assertTrue(fails(with(good, 4, 7, 4)).getMessage().contains("version 7"));
        assertTrue(fails(with(good, 4, 0x03000000, 4)).getMessage().contains("big-endian"));
    }

    @Test void hugeCountsAndLengths() throws IOException {
        assertTrue(fails(with(good, TENSOR_COUNT, 1L << 60, 8)).getMessage().contains("tensor count"));
        assertTrue(fails(with(good, KV_COUNT, -1L, 8)).getMessage().contains("metadata count"));
        assertTrue(fails(with(good, FIRST_KEY_LEN, 1L << 40, 8)).getMessage().contains("length"));
        // the token array's element count sits after its key, type and element type
        int arr = indexOf(good, "tokenizer.ggml.tokens".getBytes()) + "tokenizer.ggml.tokens".length() + 8;
        assertTrue(fails(with(good, arr, 1L << 50, 8)).getMessage().contains("element count"));
    }

    @Test void badTensorInfos() throws IOException {
        int name = indexOf(good, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 'w'}) + 9; // after "w": n_dims, dims, type, offset
        assertTrue(fails(with(good, name, 9, 4)).getMessage().contains("rank 9"));
        assertTrue(fails(with(good, name + 4, 33, 8)).getMessage().contains("block size"));
        assertTrue(fails(with(good, name + 12, 1L << 40, 8)).getMessage().contains("past the end"));
        assertTrue(fails(with(good, name + 12, Long.MAX_VALUE / 2, 8)).getMessage().contains("overflow"));
        assertTrue(fails(with(good, name + 20, 99, 4)).getMessage().contains("unknown GGML type id 99"));
        assertTrue(fails(with(good, name + 24, 7, 8)).getMessage().contains("alignment"));
        assertTrue(fails(with(good, name + 24, 1L << 20, 8)).getMessage().contains("past the end"));
    }

    @Test void everyTruncationFailsCleanly() throws IOException {
        long end;
        try (GgufFile g = GgufFile.open(goodFile)) {
            GgufTensorInfo w = g.tensor("w");
            end = g.dataOffset() + w.offset() + w.byteSize();
        }
        assertTrue(end <= good.length);
        // only the padding after the last tensor may be cut without losing data
        for (int len = 0; len < end; len++) {
            byte[] b = java.util.Arrays.copyOf(good, len);
            fails(b);
        }
    }

    @Test void randomCorruptionNeverEscapesAsAnotherException() throws IOException {
        Random r = new Random(3);
        Path f = tmp.resolve("fuzz.gguf");
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) b[r.nextInt(200)] = (byte) r.nextInt(256);
            Files.write(f, b);
            try (GgufFile g = GgufFile.open(f)) {
                for (GgufTensorInfo t : g.tensors()) g.data(t);
            } catch (GgufFormatException expected) {
                // fine: a clear error
            }
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("pattern not found");
    }
}
