package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WilsonIntervalTest {
    static final double Z = 1.959963984540054;

    @Test
    void byHand() {
        // all correct: lower end n / (n + z^2), upper end 1
        MetricResult all = WilsonInterval.of(140, 140, 0.95);
        assertEquals(1.0, all.value());
        assertEquals(140 / (140 + Z * Z), all.ciLow(), 1e-12);
        assertEquals(1.0, all.ciHigh(), 1e-12);
        // 8 of 10: center (0.8 + z^2/20) / (1 + z^2/10), half z/(1 + z^2/10) sqrt(0.016 + z^2/400)
        double d = 1 + Z * Z / 10, c = (0.8 + Z * Z / 20) / d, h = Z / d * Math.sqrt(0.016 + Z * Z / 400);
        MetricResult r = WilsonInterval.of(8, 10, 0.95);
        assertEquals(c - h, r.ciLow(), 1e-12);
        assertEquals(c + h, r.ciHigh(), 1e-12);
        assertEquals(0.4901625, r.ciLow(), 1e-6);   // the published value for 8/10
        assertTrue(Double.isNaN(WilsonInterval.of(0, 0, 0.95).value()));
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(3, 2, 0.95));
    }

    @Test
    void coversNearTheBoundaryWhereTheBootstrapCollapses() {
        SplittableRandom rng = new SplittableRandom(31);
        double p = 0.98;
        int wilson = 0, boot = 0, trials = 200;
        for (int t = 0; t < trials; t++) {
            boolean[] hit = new boolean[60];
            for (int i = 0; i < hit.length; i++) hit[i] = rng.nextDouble() < p;
            if (WilsonInterval.of(hit, 0.95).covers(p)) wilson++;
            if (new Bootstrap(500, 0.95, t).percentile(SampleStatistic.mean(PairedComparison.indicator(hit))).covers(p)) boot++;
        }
        System.out.printf("95%% intervals of a Bernoulli(%.2f) mean, n=60: Wilson covered %d, percentile bootstrap %d of %d%n",
                p, wilson, boot, trials);
        assertTrue(wilson >= 180, "Wilson covered " + wilson);
    }
}
