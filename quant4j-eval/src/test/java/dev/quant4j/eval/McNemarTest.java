package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class McNemarTest {
    @Test
    void handComputedValues() {
        assertEquals(1.0, McNemar.of(0, 0).pValue());
        assertEquals(1.0, McNemar.of(3, 3).pValue());
        // 2 * (1 + 10) / 1024
        assertEquals(22.0 / 1024, McNemar.of(1, 9).pValue(), 1e-15);
        assertEquals(2.0 / 1024, McNemar.of(0, 10).pValue(), 1e-15);
    }

    /** Against the exact tail summed in BigInteger arithmetic. */
    @Property(tries = 200)
    void matchesExactBinomialTail(@ForAll @IntRange(max = 400) int onlyA, @ForAll @IntRange(max = 400) int onlyB) {
        int m = onlyA + onlyB, k = Math.min(onlyA, onlyB);
        BigInteger tail = BigInteger.ZERO, choose = BigInteger.ONE;
        for (int i = 0; i <= k; i++) {
            tail = tail.add(choose);
            choose = choose.multiply(BigInteger.valueOf(m - i)).divide(BigInteger.valueOf(i + 1));
        }
        double expected = m == 0 ? 1 : Math.min(1, new BigDecimal(tail.shiftLeft(1))
                .divide(new BigDecimal(BigInteger.ONE.shiftLeft(m)), MathContext.DECIMAL64).doubleValue());
        double actual = McNemar.of(onlyA, onlyB).pValue();
        assertEquals(expected, actual, Math.max(1e-300, 1e-10 * expected));
    }
}
