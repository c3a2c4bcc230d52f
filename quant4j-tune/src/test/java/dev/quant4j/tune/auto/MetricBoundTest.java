package dev.quant4j.tune.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.eval.MetricResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricBoundTest {
    static Measurement m(double metric, double drop, double lo, double hi) {
        Latency l = Latency.of(new long[] {1, 2, 3}, new long[] {1, 2, 3});
        return new Measurement(Map.of(), new MetricResult(metric, metric, metric, 100, "test"), new MetricResult(drop, lo, hi, 100, "test"), 10, l);
    }

    @Test
    void pointEstimateAbsoluteRelativeAndConservative() {
        Measurement ref = m(0.90, 0, 0, 0), cand = m(0.89, 0.01, 0.004, 0.03);
        assertTrue(MetricBound.absolute(0.02).judge(ref, cand).meets());
        assertFalse(MetricBound.absolute(0.02).conservative().judge(ref, cand).meets(), "the CI upper end 0.03 exceeds 0.02");
        assertFalse(MetricBound.absolute(0.005).judge(ref, cand).meets());
        // relative: 1% of 0.90 = 0.009 < 0.01
        assertFalse(MetricBound.relative(0.01).judge(ref, cand).meets());
        assertTrue(MetricBound.relative(0.02).judge(ref, cand).meets());
        assertEquals(0.018, MetricBound.relative(0.02).allowed(0.90), 1e-15);
        // exactly at the bound meets; a NaN drop never does
        assertTrue(MetricBound.absolute(0.01).judge(ref, cand).meets());
        assertFalse(MetricBound.absolute(1).judge(ref, m(0.5, Double.NaN, Double.NaN, Double.NaN)).meets());
        assertThrows(IllegalArgumentException.class, () -> MetricBound.absolute(-0.1));
        assertThrows(IllegalArgumentException.class, () -> MetricBound.absolute(Double.NaN));
    }

    @Test
    void latencyQuantilesInterpolateBetweenOrderStatistics() {
        Latency l = Latency.of(new long[] {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000}, new long[] {-1, -1, -1, -1, -1});
        assertEquals(3.0, l.medianWallMs(), 1e-12);
        assertEquals(1.4, l.p10WallMs(), 1e-12);
        assertEquals(4.6, l.p90WallMs(), 1e-12);
        assertFalse(l.hasCpuTime());
        assertEquals(3.0, l.medianMs(), 1e-12, "wall time stands in when CPU time is missing");
        Latency c = Latency.of(new long[] {4_000_000, 4_000_000}, new long[] {1_000_000, 3_000_000});
        assertEquals(2.0, c.medianMs(), 1e-12);
    }

    @Test
    void ladderEndsInFp32AndKeepsOnlyAllowedLevels() {
        LayerLadder l = LayerLadder.of("n", "MatMul", List.of(dev.quant4j.quantize.Precision.INT4_WEIGHT, dev.quant4j.quantize.Precision.FP32,
                dev.quant4j.quantize.Precision.INT8_STATIC, dev.quant4j.quantize.Precision.FP16), java.util.Set.of(dev.quant4j.quantize.Precision.FP16,
                dev.quant4j.quantize.Precision.INT4_WEIGHT));
        assertEquals(List.of(dev.quant4j.quantize.Precision.INT4_WEIGHT, dev.quant4j.quantize.Precision.FP16, dev.quant4j.quantize.Precision.FP32), l.levels());
        assertEquals(2, l.fp32Level());
    }
}
