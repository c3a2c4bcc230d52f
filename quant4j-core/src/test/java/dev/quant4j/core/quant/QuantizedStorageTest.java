package dev.quant4j.core.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import dev.quant4j.core.numerics.Int4;
import org.junit.jupiter.api.Test;

class QuantizedStorageTest {

    @Test
    void int4NibbleOrderIsLowFirst() {
        // ONNX: element 2i in the low nibble. [1, -2, 7] -> 0xE1, 0x07
        assertArrayEquals(new byte[] {(byte) 0xE1, 0x07}, QuantizedStorage.pack(new int[] {1, -2, 7}, DataType.INT4));
        assertArrayEquals(new int[] {1, -2, 7}, QuantizedStorage.unpack(new byte[] {(byte) 0xE1, 0x07}, DataType.INT4, 3));
        assertArrayEquals(new int[] {1, 14, 7}, QuantizedStorage.unpack(new byte[] {(byte) 0xE1, 0x07}, DataType.UINT4, 3));
        assertEquals(-8, Int4.get(new byte[] {(byte) 0x80}, 1, true));
    }

    @Test
    void multiByteTypesAreLittleEndianAndRoundTrip() {
        int[] v16 = {-32768, -1, 0, 1, 32767};
        byte[] b = QuantizedStorage.pack(v16, DataType.INT16);
        assertEquals((byte) 0xFF, b[2]);
        assertEquals(0x7F, b[9]);
        assertArrayEquals(v16, QuantizedStorage.unpack(b, DataType.INT16, 5));
        int[] v32 = {Integer.MIN_VALUE, -2, 0x12345678};
        byte[] b32 = QuantizedStorage.pack(v32, DataType.INT32);
        assertEquals(0x78, b32[8]);
        assertArrayEquals(v32, QuantizedStorage.unpack(b32, DataType.INT32, 3));
        int[] u8 = {0, 128, 255};
        assertArrayEquals(u8, QuantizedStorage.unpack(QuantizedStorage.pack(u8, DataType.UINT8), DataType.UINT8, 3));
    }

    @Test
    void outOfRangeCodesAndShortBuffersAreErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> QuantizedStorage.pack(new int[] {0, 8}, DataType.INT4));
        assertTrue(e.getMessage().contains("index 1"));
        assertThrows(IllegalArgumentException.class, () -> QuantizedStorage.pack(new int[] {256}, DataType.UINT8));
        assertThrows(IllegalArgumentException.class, () -> QuantizedStorage.unpack(new byte[1], DataType.INT4, 3));
        assertThrows(IllegalArgumentException.class, () -> QuantizedStorage.unpack(new byte[3], DataType.INT16, 2));
    }
}
