package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class CtcGreedyDecoderTest {

    /** One-hot-ish rows: the arg-max path is given by ids. */
    private static float[] path(int classes, int... ids) {
        float[] s = new float[ids.length * classes];
        for (int t = 0; t < ids.length; t++) {
            for (int c = 0; c < classes; c++) s[t * classes + c] = -1f - c * 0.01f;
            s[t * classes + ids[t]] = 2f;
        }
        return s;
    }

    @Test
    void mergesRepeatsAndDropsBlanks() {
        CtcGreedyDecoder d = new CtcGreedyDecoder(0);
        assertArrayEquals(new int[] {1, 2}, d.decode(path(4, 1, 1, 0, 2, 2), 5, 4));
        assertArrayEquals(new int[] {1, 1}, d.decode(path(4, 1, 0, 1), 3, 4));
        assertArrayEquals(new int[] {1}, d.decode(path(4, 1, 1, 1), 3, 4));
        assertArrayEquals(new int[] {}, d.decode(path(4, 0, 0), 2, 4));
        assertArrayEquals(new int[] {}, d.decode(new float[0], 0, 4));
    }

    @Test
    void blankIndexIsConfigurable() {
        CtcGreedyDecoder last = new CtcGreedyDecoder(3);
        assertArrayEquals(new int[] {0, 0, 2}, last.decode(path(4, 0, 3, 0, 2, 3), 5, 4));
        String text = last.decodeText(path(4, 0, 3, 0, 2, 3), 5, 4, id -> "abc".substring(id, id + 1));
        assertEquals("aac", text);
    }

    @Test
    void rejectsBadShapes() {
        CtcGreedyDecoder d = new CtcGreedyDecoder(0);
        assertThrows(IllegalArgumentException.class, () -> d.decode(new float[7], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> new CtcGreedyDecoder(5).decode(new float[8], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> new CtcGreedyDecoder(-1));
    }
}
