package dev.quant4j.data.idx;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Sample;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir Path tmp;

    @Test
    void fashionMnistTestSet() {
        IdxDataset ds = IdxDataset.fashionMnist(TestData.require("datasets/fashion-mnist"), "t10k");
        assertEquals(10_000, ds.size());
        Sample s = ds.get(0);
        assertArrayEquals(new long[] {1, 28, 28}, s.shape());
        // the first test images are an ankle boot, a pullover, a trouser, a trouser
        assertEquals(9, s.label());
        assertEquals(2, ds.get(1).label());
        assertEquals(1, ds.get(2).label());
        assertEquals(1, ds.get(3).label());
        float max = 0, min = 1;
        for (float v : s.data()) { max = Math.max(max, v); min = Math.min(min, v); }
        assertEquals(0f, min);
        assertTrue(max > 0.5f && max <= 1f, "scaled to [0,1]: max " + max);
        int[] perClass = new int[10];
        for (int i = 0; i < ds.size(); i++) perClass[ds.get(i).label()]++;
        for (int c = 0; c < 10; c++) assertEquals(1000, perClass[c]);
    }

    /** Writes an IDX file by the format's definition (not by our reader's code). */
    private Path idx(String name, int type, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        Path f = tmp.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(b.array());
        }
        return f;
    }

    @Test
    void readsEveryElementTypeRawAndGzip() throws IOException {
        ByteBuffer f32 = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2.25f);
        ByteBuffer i16 = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 300);
        ByteBuffer i32 = ByteBuffer.allocate(8).putInt(-70000).putInt(123456);
        ByteBuffer f64 = ByteBuffer.allocate(16).putDouble(Math.PI).putDouble(-1e300);
        for (boolean gz : new boolean[] {false, true}) {
            assertEquals(-2.25, IdxFile.open(idx("f" + gz, 0x0D, new int[] {2}, f32.array(), gz)).get(1));
            assertEquals(-300, IdxFile.open(idx("s" + gz, 0x0B, new int[] {2}, i16.array(), gz)).get(0));
            assertEquals(123456, IdxFile.open(idx("i" + gz, 0x0C, new int[] {2}, i32.array(), gz)).label(1));
            assertEquals(-1e300, IdxFile.open(idx("d" + gz, 0x0E, new int[] {2}, f64.array(), gz)).get(1));
            IdxFile u = IdxFile.open(idx("u" + gz, 0x08, new int[] {2, 1, 2}, new byte[] {0, (byte) 255, 7, (byte) 128}, gz));
            assertArrayEquals(new float[] {7, 128}, u.item(1, 1f));
            assertEquals(-1, IdxFile.open(idx("b" + gz, 0x09, new int[] {1}, new byte[] {-1}, gz)).get(0));
        }
    }

    private void assertBad(Path f, String fragment) {
        DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void malformedFilesNameTheFileAndTheProblem() throws IOException {
        assertBad(idx("trunc", 0x08, new int[] {10, 28, 28}, new byte[100], false), "truncated");
        assertBad(idx("truncgz", 0x08, new int[] {10, 28, 28}, new byte[100], true), "truncated");
        assertBad(idx("long", 0x08, new int[] {2}, new byte[3], false), "size mismatch");
        assertBad(idx("type", 0x07, new int[] {2}, new byte[2], false), "element type 0x07");
        assertBad(idx("huge", 0x0E, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[8], false), "truncated");
        Path magic = tmp.resolve("magic");
        Files.write(magic, new byte[] {1, 0, 8, 1, 0, 0, 0, 0});
        assertBad(magic, "first two bytes");
        Path gz = idx("cut.gz", 0x08, new int[] {1000}, new byte[1000], true);
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length - 10));
        assertBad(gz, "gzip");
        assertBad(tmp.resolve("missing"), "no such file");
    }
}
