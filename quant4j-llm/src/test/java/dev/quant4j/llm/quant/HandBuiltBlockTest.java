package dev.quant4j.llm.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * One block per type, written byte by byte from the published GGML layout (see the diagrams in
 * the format classes), and the values it must decode to, worked out by hand. This pins the bit
 * layout independently of the encoder: a layout shared by a wrong encoder and a wrong decoder
 * would still pass the round-trip tests, but not these.
 */
class HandBuiltBlockTest {

    static MemorySegment bytes(GgmlType t) { return MemorySegment.ofArray(new byte[t.bytesPerBlock()]); }

    static void put(MemorySegment s, int off, int... bs) { for (int i = 0; i < bs.length; i++) Le.putU8(s, off + i, bs[i]); }

    static float[] decode(GgmlType t, MemorySegment s) {
        float[] y = new float[t.blockSize()];
        t.format().dequantize(s, 0, y, 0, y.length);
        // the dot with a one-hot x must read the same weight the decoder does
        for (int i = 0; i < y.length; i++) {
            float[] x = new float[y.length];
            x[i] = 1;
            assertEquals(y[i], t.format().dot(s, 0, x, 0, y.length), 1e-6f * (1 + Math.abs(y[i])), t + " one-hot dot at " + i);
        }
        return y;
    }

    @Test void f32F16Bf16() {
        MemorySegment s = MemorySegment.ofArray(new byte[] {0, 0, (byte) 0xC0, 0x3F});
        float[] y = new float[1];
        GgmlType.F32.format().dequantize(s, 0, y, 0, 1);
        assertEquals(1.5f, y[0]);
        s = MemorySegment.ofArray(new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0, (byte) 0xFF, 0x7B});
        y = new float[3];
        GgmlType.F16.format().dequantize(s, 0, y, 0, 3);
        assertArrayEquals(new float[] {1f, -2f, 65504f}, y);
        s = MemorySegment.ofArray(new byte[] {(byte) 0x80, 0x3F, (byte) 0xA0, (byte) 0xC0});
        y = new float[2];
        GgmlType.BF16.format().dequantize(s, 0, y, 0, 2);
        assertArrayEquals(new float[] {1f, -5f}, y);
    }

    @Test void q8_0() {
        MemorySegment s = bytes(GgmlType.Q8_0);
        put(s, 0, 0x00, 0x34);              // d = 0.25
        put(s, 2, 0x80);                    // q[0] = -128
        put(s, 2 + 5, 3);                   // q[5] = 3
        put(s, 2 + 31, 0x7F);               // q[31] = 127
        float[] y = decode(GgmlType.Q8_0, s);
        assertEquals(-32f, y[0]); assertEquals(0.75f, y[5]); assertEquals(31.75f, y[31]); assertEquals(0f, y[1]);
    }

    @Test void q4_0() {
        MemorySegment s = bytes(GgmlType.Q4_0);
        put(s, 0, 0x00, 0x40);              // d = 2
        put(s, 2, 0xF0);                    // q[0] = 0, q[16] = 15
        put(s, 2 + 15, 0x98);               // q[15] = 8, q[31] = 9
        float[] y = decode(GgmlType.Q4_0, s);
        assertEquals(-16f, y[0]); assertEquals(14f, y[16]); assertEquals(0f, y[15]); assertEquals(2f, y[31]);
        assertEquals(-16f, y[1]);           // zero byte: q = 0 -> (0 - 8)·2
    }

    @Test void q4_1() {
        MemorySegment s = bytes(GgmlType.Q4_1);
        put(s, 0, 0x00, 0x38, 0x00, 0xBC);  // d = 0.5, m = -1
        put(s, 4, 0x1F);                    // q[0] = 15, q[16] = 1
        float[] y = decode(GgmlType.Q4_1, s);
        assertEquals(6.5f, y[0]); assertEquals(-0.5f, y[16]); assertEquals(-1f, y[1]);
    }

    @Test void q5_0() {
        MemorySegment s = bytes(GgmlType.Q5_0);
        put(s, 0, 0x00, 0x3C);              // d = 1
        put(s, 2, 0x02, 0x00, 0x01, 0x00);  // qh = bits 1 and 16
        put(s, 6, 0x21, 0x3F);              // qs[0]: q[0] low 1, q[16] low 2; qs[1]: q[1] low 15, q[17] low 3
        float[] y = decode(GgmlType.Q5_0, s);
        assertEquals(-15f, y[0]);           // 1 - 16
        assertEquals(2f, y[16]);            // (2 | 16) - 16
        assertEquals(15f, y[1]);            // (15 | 16) - 16
        assertEquals(-13f, y[17]);          // 3 - 16
    }

    @Test void q5_1() {
        MemorySegment s = bytes(GgmlType.Q5_1);
        put(s, 0, 0x00, 0x38, 0x00, 0x3C);  // d = 0.5, m = 1
        put(s, 4, 0x00, 0x00, 0x00, 0x80);  // qh bit 31: bit 4 of q[31]
        put(s, 8 + 15, 0xA0);               // q[15] low 0, q[31] low 10
        float[] y = decode(GgmlType.Q5_1, s);
        assertEquals(1f, y[15]); assertEquals(14f, y[31]);   // (10|16)·0.5 + 1
    }

    @Test void q4_K() {
        MemorySegment s = bytes(GgmlType.Q4_K);
        put(s, 0, 0x00, 0x3C, 0x00, 0x38);  // d = 1, dmin = 0.5
        // sc[0]=1, sc[1]=3, mn[0]=2, mn[1]=0, sc[5]=33 (0b10_0001), mn[5]=17 (0b01_0001)
        put(s, 4, 0x01, 0x83, 0, 0,          // bytes 0..3: sc[j] | (sc[j+4]>>4)<<6
                  0x02, 0x40, 0, 0,          // bytes 4..7: mn[j] | (mn[j+4]>>4)<<6
                  0x00, 0x11, 0, 0);         // bytes 8..11: sc[j+4] & 15 | (mn[j+4] & 15)<<4
        put(s, 16, 0x3A);                   // qs[0]: q[0] = 10, q[32] = 3
        put(s, 16 + 64, 0x70);              // qs[64]: q[128] = 0, q[160] = 7
        float[] y = decode(GgmlType.Q4_K, s);
        assertEquals(9f, y[0]);             // 1·1·10 − 0.5·2
        assertEquals(9f, y[32]);            // 1·3·3 − 0
        assertEquals(222.5f, y[160]);       // 1·33·7 − 0.5·17
        assertEquals(-1f, y[1]);            // q = 0 in sub-block 0: −0.5·2
    }

    @Test void q5_K() {
        MemorySegment s = bytes(GgmlType.Q5_K);
        put(s, 0, 0x00, 0x3C, 0x00, 0x38);
        put(s, 4, 0x01, 0x83, 0, 0, 0x02, 0x40, 0, 0, 0x00, 0x11, 0, 0);
        put(s, 16, 0x21);                   // qh[0]: bit 0 (q[0]) and bit 5 (q[160], chunk 2 high)
        put(s, 48, 0x3A);
        put(s, 48 + 64, 0x70);
        float[] y = decode(GgmlType.Q5_K, s);
        assertEquals(25f, y[0]);            // (10|16)·1 − 1
        assertEquals(9f, y[32]);            // bit 1 clear: 3·3
        assertEquals(750.5f, y[160]);       // (7|16)·33 − 8.5
    }

    @Test void q6_K() {
        MemorySegment s = bytes(GgmlType.Q6_K);
        put(s, 0, 0x5A);                    // ql[0]: w0 low 10, w64 low 5
        put(s, 32, 0xF1);                   // ql[32]: w32 low 1, w96 low 15
        put(s, 127, 0x80);                  // ql[127]: w255 low 8 (high nibble, second half)
        put(s, 128, 0xE4);                  // qh[0] = 11 10 01 00: w0 0, w32 1, w64 2, w96 3
        put(s, 128 + 63, 0x40);             // qh[63] bits 6-7 = 1: w255
        put(s, 192, 2, 0, 0xFF, 0, 3, 0, 4); // sc[0]=2, sc[2]=-1, sc[4]=3, sc[6]=4
        put(s, 192 + 15, 0xFD);             // sc[15] = -3
        put(s, 208, 0x00, 0x38);            // d = 0.5
        float[] y = decode(GgmlType.Q6_K, s);
        assertEquals(-22f, y[0]);           // 0.5·2·(10 − 32)
        assertEquals(7.5f, y[32]);          // 0.5·(−1)·(17 − 32)
        assertEquals(7.5f, y[64]);          // 0.5·3·(37 − 32)
        assertEquals(62f, y[96]);           // 0.5·4·(63 − 32)
        assertEquals(12f, y[255]);          // 0.5·(−3)·(24 − 32)
        assertEquals(-32f, y[1]);           // 0.5·2·(0 − 32)
    }
}
