package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NormalTest {
    /** Reference values of Phi from standard tables (computed to 16 digits with erfc). */
    @Test
    void cdfMatchesPublishedValues() {
        assertEquals(0.5, Normal.cdf(0), 1e-16);
        assertEquals(0.8413447460685429, Normal.cdf(1), 1e-14);
        assertEquals(0.9750021048517795, Normal.cdf(1.96), 1e-14);
        assertEquals(0.0013498980316301, Normal.cdf(-3), 1e-15);
        assertEquals(2.866515718791939e-7, Normal.cdf(-5), 1e-15);  // absolute accuracy only in the tail
    }

    @Test
    void quantileInvertsCdf() {
        assertEquals(1.959963984540054, Normal.quantile(0.975), 1e-12);
        assertEquals(-1.6448536269514729, Normal.quantile(0.05), 1e-12);
        for (double x = -5; x <= 5; x += 0.37) assertEquals(x, Normal.quantile(Normal.cdf(x)), 1e-8);
        assertThrows(IllegalArgumentException.class, () -> Normal.quantile(1.5));
    }
}
