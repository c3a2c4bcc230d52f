package dev.quant4j.llm.gguf;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2.3 GB GGUF file (sparse: only the header and one block are written) whose last rows lie past
 * the 2 GB mark: the reader and WeightMatrix must address them with long offsets.
 */
class GgufLargeFileTest {
    @TempDir Path tmp;

    @Test
    void tensorBeyondTwoGigabytesIsReadAtTheRightPlace() throws IOException {
        long rows = 1L << 26;                            // Q8_0 rows of 32 weights: 34 bytes each
        ByteBuffer h = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = "big".getBytes(StandardCharsets.UTF_8);
        h.putInt(0x46554747).putInt(3).putLong(1).putLong(0);
        h.putLong(name.length).put(name).putInt(2).putLong(32).putLong(rows).putInt(GgmlType.Q8_0.id()).putLong(0);
        long dataStart = (h.position() + 31) / 32 * 32;
        long size = dataStart + rows * 34;
        assertTrue(dataStart + (rows - 1) * 34 > Integer.MAX_VALUE, "last row lies past 2 GiB");
        Path f = tmp.resolve("big.gguf");
        long lastRow = rows - 1;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(h.array(), 0, h.position());
            raf.setLength(size);
            ByteBuffer blk = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
            blk.putShort((short) 0x3800);                 // d = 0.5
            for (int j = 0; j < 32; j++) blk.put((byte) (j - 16));
            raf.seek(dataStart + lastRow * 34);
            raf.write(blk.array());
        }
        try (GgufFile g = GgufFile.open(f)) {
            assertEquals(size, g.fileSize());
            WeightMatrix m = g.matrix("big");
            assertEquals(rows, m.rows());
            float[] row = new float[32];
            m.dequantizeRow((int) lastRow, row);
            for (int j = 0; j < 32; j++) assertEquals(0.5f * (j - 16), row[j], "weight " + j);
            m.dequantizeRow((int) lastRow - 1, row);
            for (float v : row) assertEquals(0f, v);
        }
    }
}
