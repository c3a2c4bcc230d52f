package dev.quant4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.quantize.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans as values and files; range statistics against closed forms. */
class PlanAndStatsTest {

    @Test
    void planEditsAreValuesAndFp32IsTheAbsenceOfAnEntry() {
        QuantizationPlan p = QuantizationPlan.empty().with("a", Precision.INT8_STATIC).with("b", Precision.FP32);
        assertEquals(Map.of("a", Precision.INT8_STATIC), p.nodes());
        assertEquals(Precision.FP32, p.precision("b"));
        assertEquals(QuantizationPlan.empty(), p.without("a"));
        assertEquals(Precision.INT8_STATIC, p.precision("a"), "with/without return new plans");
        assertEquals(p, QuantizationPlan.parse("{\"nodes\": {\"a\": \"int8-static\"}}"));
        assertEquals(1, p.toPolicy().rules().size());
    }

    @Test
    void badPlansSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> QuantizationPlan.parse("{\"nodes\": {\"a\": \"int3\"}}"));
        assertTrue(e.getMessage().contains("int3") && e.getMessage().contains("int4-weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuantizationPlan.parse("{\"rules\": []}"));
        assertTrue(e.getMessage().contains("nodes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QuantizationPlan.empty().with("", Precision.FP16));
        assertTrue(e.getMessage().contains("empty node name"), e.getMessage());
    }

    @Test
    void rangeStatsOfOneToThousand() {
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) v[i] = i + 1;
        RangeStats s = RangeStats.of(List.of(java.util.Arrays.copyOf(v, 400), java.util.Arrays.copyOfRange(v, 400, 1000)));
        assertEquals(1000, s.count());
        assertEquals(1, s.min());
        assertEquals(1000, s.max());
        assertEquals(1 + 0.999 * 999, s.p999(), 1e-9);
        assertEquals(1 + 0.001 * 999, s.p001(), 1e-9);
        double n = 1000; // kurtosis of the discrete uniform on n points: 3 - 6(n^2 + 1) / (5(n^2 - 1))
        assertEquals(3 - 6 * (n * n + 1) / (5 * (n * n - 1)), s.kurtosis(), 1e-9);
        assertEquals(1000 / (1 + 0.999 * 999), s.maxOverP999(), 1e-9);
        // one outlier among Gaussian-like values shows in both outlier measures
        float[] w = new float[10_000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() - 0.5);
        w[17] = 50;
        RangeStats o = RangeStats.of(w);
        assertTrue(o.maxOverP999() > 90 && o.kurtosis() > 100, o.toString());
        assertEquals(RangeStats.NONE, RangeStats.of(List.of()));
    }
}
