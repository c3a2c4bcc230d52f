package dev.quant4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorTest {
    @TempDir Path tmp;

    @Test
    void bytesAreLittleEndianRowMajorAsInOnnxRawData() {
        Tensor t = Tensor.of(new float[] {1f, -2.5f, 3f, 4f, 5f, 6f}, 2, 3);
        ByteBuffer want = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {1f, -2.5f, 3f, 4f, 5f, 6f}) want.putFloat(f);
        assertArrayEquals(want.array(), t.bytes());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertEquals(6, t.elementCount());
        assertEquals(-2.5, t.getDouble(1));
        assertArrayEquals(new long[] {7, -8}, Tensor.ofLongs(new long[] {7, -8}, 2).longs());
        assertArrayEquals(new int[] {1, 2}, Tensor.ofInts(new int[] {1, 2}, 2).ints());
        assertArrayEquals(new double[] {0.25}, Tensor.ofDoubles(new double[] {0.25}).doubles());
    }

    @Test
    void fourBitTypesPackTwoToAByteLowNibbleFirst() {
        // INT4 elements [1, -2, 7]: byte 0 = (-2 & 0xF) << 4 | 1 = 0xE1, byte 1 = 0x07 (high nibble padding).
        Tensor t = Tensor.ofBytes(DataType.INT4, new byte[] {(byte) 0xE1, 0x07}, 3);
        assertEquals(2, t.byteSize());
        assertArrayEquals(new long[] {1, -2, 7}, t.toLongs());
        Tensor u = Tensor.ofBytes(DataType.UINT4, new byte[] {(byte) 0xE1}, 2);
        assertArrayEquals(new long[] {1, 14}, u.toLongs());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofBytes(DataType.INT4, new byte[] {0, 0}, 2));
    }

    @Test
    void halfPrecisionReadsThroughTheJdkConversion() {
        // 0x3C00 is 1.0 in IEEE binary16; 0x3F80 is 1.0 in bfloat16.
        assertEquals(1.0, Tensor.ofBytes(DataType.FLOAT16, new byte[] {0x00, 0x3C}, 1).getDouble(0));
        assertEquals(1.0, Tensor.ofBytes(DataType.BFLOAT16, new byte[] {(byte) 0x80, 0x3F}, 1).getDouble(0));
    }

    @Test
    void shapeAndDataMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], -1));
        assertThrows(ArithmeticException.class, () -> Tensor.elementCount(1L << 40, 1L << 40));
        assertThrows(IllegalStateException.class, () -> Tensor.of(new float[1], 1).longs());
    }

    @Test
    void contentEqualityComparesTypeShapeAndBytes() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2);
        assertTrue(a.contentEquals(Tensor.of(new float[] {1, 2}, 2)));
        assertFalse(a.contentEquals(Tensor.of(new float[] {1, 2}, 1, 2)));
        assertFalse(a.contentEquals(Tensor.of(new float[] {1, 3}, 2)));
        assertFalse(a.contentEquals(Tensor.ofInts(new int[] {0x3f800000, 0x40000000}, 2)));
        assertTrue(Tensor.ofStrings(List.of("a", "bc"), 2).contentEquals(Tensor.ofStrings(List.of("a", "bc"), 2)));
        assertFalse(Tensor.ofStrings(List.of("a", "bc"), 2).contentEquals(Tensor.ofStrings(List.of("a", "bd"), 2)));
    }

    @Test
    void mappedTensorsViewTheFileAndCheckTheRange() throws Exception {
        Path f = tmp.resolve("w.bin");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0).putFloat(1.5f).putFloat(-3f).array());
        }
        try (Tensor t = Tensor.mapped(f, 4, 8, DataType.FLOAT32, 2)) {
            assertTrue(t.isNative());
            assertArrayEquals(new float[] {1.5f, -3f}, t.floats());
        }
        assertThrows(java.io.IOException.class, () -> Tensor.mapped(f, 8, 8, DataType.FLOAT32, 2));
        try (Tensor big = Tensor.allocate(DataType.INT8, 3, 5)) {
            assertEquals(15, big.byteSize());
            assertTrue(big.isNative());
        }
    }
}
