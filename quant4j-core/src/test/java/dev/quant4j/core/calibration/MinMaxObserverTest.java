package dev.quant4j.core.calibration;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;
import org.junit.jupiter.api.Test;

class MinMaxObserverTest {

    @Test
    void perTensorAndPerChannelRanges() {
        float[] x = {1, -2, 3, 4, -5, 6};
        MinMaxObserver t = MinMaxObserver.perTensor();
        t.observe(x, new int[] {2, 3});
        ChannelRanges r = t.ranges(null);
        assertEquals(-5f, r.min(0));
        assertEquals(6f, r.max(0));
        MinMaxObserver c = MinMaxObserver.perChannel(-1);
        c.observe(x, new int[] {2, 3});
        c.observe(new float[] {10, 0, 0}, new int[] {1, 3});
        ChannelRanges rc = c.ranges(null);
        assertEquals(1, rc.axis());
        assertArrayEquals(new float[] {1, -5, 0}, rc.mins());
        assertArrayEquals(new float[] {10, 0, 6}, rc.maxs());
        QuantParams p = c.params(QuantSpec.symmetric(DataType.INT8).withNarrowRange());
        assertEquals(10f / 127, p.scale(0), 0f);
        assertEquals(5f / 127, p.scale(1), 0f);
    }

    @Test
    void rejectsNonFiniteDataNamingTheObserverAndStaysUnchanged() {
        MinMaxObserver o = MinMaxObserver.perChannel(0);
        o.observe(new float[] {1, 2}, new int[] {2});
        var e = assertThrows(IllegalArgumentException.class, () -> o.observe(new float[] {100, Float.NaN}, new int[] {2}));
        assertTrue(e.getMessage().startsWith("MinMaxObserver(axis 0)"), e.getMessage());
        assertTrue(e.getMessage().contains("element 1 is NaN"), e.getMessage());
        assertEquals(2f, o.ranges(null).max(1));
        assertEquals(1f, o.ranges(null).max(0));
        assertThrows(IllegalArgumentException.class, () -> o.observe(new float[] {1, 2, 3}, new int[] {3}));
    }
}
