package dev.quant4j.core.calibration;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantSpec;
import java.util.Arrays;
import net.jqwik.api.*;
import net.jqwik.api.constraints.*;

/** Percentiles read from the histogram against the exact ones from sorting. */
class PercentilePropertyTest {

    @Property(tries = 100)
    void percentileIsWithinOneBinWidthOfTheExactOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int n,
                                                    @ForAll @DoubleRange(min = 50.5, max = 100) double p,
                                                    @ForAll boolean heavy) {
        float[] x = HistogramMethodsTest.data(seed, n, heavy);
        HistogramObserver o = HistogramObserver.perTensor(new PercentileRange(p), 512);
        o.observe(x, new int[] {n});
        double w = o.histogram(0).binWidth();
        float[] sorted = x.clone();
        Arrays.sort(sorted);
        int k = (int) Math.max(1, Math.ceil(p / 100 * n));
        float hi = sorted[k - 1], lo = sorted[n - k];
        ChannelRanges r = o.ranges(QuantSpec.affine(DataType.INT8));
        assertTrue(r.max(0) >= hi && r.max(0) - hi <= w, () -> "upper " + r.max(0) + " vs exact " + hi + ", bin " + w);
        assertTrue(r.min(0) <= lo && lo - r.min(0) <= w, () -> "lower " + r.min(0) + " vs exact " + lo + ", bin " + w);
        float[] abs = new float[n];
        for (int i = 0; i < n; i++) abs[i] = Math.abs(x[i]);
        Arrays.sort(abs);
        float t = abs[k - 1];
        ChannelRanges s = o.ranges(QuantSpec.symmetric(DataType.INT8));
        float got = Math.max(-s.min(0), s.max(0));
        assertTrue(got >= t && got - t <= w, () -> "symmetric " + got + " vs exact " + t + ", bin " + w);
    }
}
