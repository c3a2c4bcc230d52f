package dev.quant4j.core.calibration;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.Quantizer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramMethodsTest {

    static float[] data(long seed, int n, boolean heavyTail) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            x[i] = (float) (heavyTail ? g * Math.exp(r.nextGaussian()) : g + 0.3);
        }
        return x;
    }

    @Test
    void binsHaveExactPowerOfTwoEdges() {
        Histogram h = new Histogram(8);  // 4 bins each side
        h.add(new float[] {0f, 0.5f, -0.25f, 3.9f}, 0, 4);
        // |x| < 4 * 2^e: 3.9 needs e = 0, bins of width 1 from -4 to 4
        assertEquals(0, h.exponent());
        assertArrayEquals(new long[] {0, 0, 0, 1, 2, 0, 0, 1}, h.counts());
        h.add(new float[] {-4f}, 0, 1);  // needs e = 1 (4 is not < 4): pairs merge
        assertEquals(1, h.exponent());
        assertArrayEquals(new long[] {0, 0, 1, 1, 2, 1, 0, 0}, h.counts());
        assertEquals(-4f, h.min());
        assertEquals(3.9f, h.max());
    }

    @Test
    void klDivergenceOfSmallExamples() {
        double[] q = new double[4];
        // P = [3, 1], Q spreads 4 over 2 bins: KL = 0.75 ln 1.5 + 0.25 ln 0.5
        assertEquals(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), EntropyRange.divergence(new long[] {3, 1}, 2, 0, 1, q), 1e-15);
        // Empty bins stay empty: [2, 0, 1, 1] in two groups is reproduced exactly
        assertEquals(0.0, EntropyRange.divergence(new long[] {2, 0, 1, 1}, 4, 0, 2, q), 1e-15);
        // Outliers folded into the last kept bin
        assertEquals(0.0, EntropyRange.divergence(new long[] {3, 1}, 1, 1, 1, q), 1e-15);
        // The last kept bin holds only outliers: it shares its group's mass. P = [3, 5]/8, Q = [1.5, 1.5]/3
        assertEquals(3.0 / 8 * Math.log(3.0 / 8 / 0.5) + 5.0 / 8 * Math.log(5.0 / 8 / 0.5),
                EntropyRange.divergence(new long[] {3, 0}, 2, 5, 1, q), 1e-15);
        // ... and is smoothed when its whole group is empty: P = [3, 5]/8, Q = [1, 1e-9]
        assertEquals(3.0 / 8 * Math.log(3.0 / 8) + 5.0 / 8 * Math.log(5.0 / 8 / EntropyRange.SMOOTHING),
                EntropyRange.divergence(new long[] {3, 0}, 2, 5, 2, q), 1e-12);
    }

    /** Mean squared error of fake-quantizing x with the given observer's params, computed on the data itself. */
    static double actualMse(float[] x, QuantParams p) {
        float[] fq = Quantizer.fakeQuantize(x, new int[] {x.length}, p);
        double s = 0;
        for (int i = 0; i < x.length; i++) s += (x[i] - fq[i]) * (double) (x[i] - fq[i]);
        return s / x.length;
    }

    @Test
    void entropyAndMseClipARareSpikeAndBeatMinMax() {
        // Gaussian activations with one spike, as a rare large activation in a real layer. The spike
        // is 40 (about 9 sigma), so 2048 bins still resolve the bulk (entropy searches from 128 bins up).
        Random rnd = new Random(3);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        x[17] = 40f;
        for (QuantSpec spec : new QuantSpec[] {QuantSpec.symmetric(DataType.INT8), QuantSpec.symmetric(DataType.INT4)}) {
            MinMaxObserver mm = MinMaxObserver.perTensor();
            HistogramObserver kl = HistogramObserver.entropy(), mse = HistogramObserver.mse();
            for (Observer o : new Observer[] {mm, kl, mse}) {
                for (int off = 0; off < x.length; off += 10_000) o.observe(Arrays.copyOfRange(x, off, off + 10_000), new int[] {10_000});
            }
            float tKl = kl.ranges(spec).max(0), tMse = mse.ranges(spec).max(0);
            double eMm = actualMse(x, mm.params(spec)), eKl = actualMse(x, kl.params(spec)), eMse = actualMse(x, mse.params(spec));
            System.out.printf("%s, N(0,1) + one spike at 40: threshold entropy %.3f, mse %.3f; MSE on the data: min/max %.3e, entropy %.3e, mse %.3e%n",
                    spec.type(), tKl, tMse, eMm, eKl, eMse);
            assertTrue(tKl > 2.5 && tKl < 20, "entropy clips the spike but keeps the bulk: " + tKl);
            assertTrue(eKl < eMm, "entropy beats min/max");
            assertTrue(eMse <= eMm, "MSE search never loses to min/max on the data");
            if (spec.type() == DataType.INT4) {
                assertTrue(tMse > 1 && tMse < 20, "with 16 levels the spike is not worth keeping: " + tMse);
                assertTrue(eMse < eMm / 5, "and clipping pays clearly");
            }
        }
    }

    @Test
    void mseRangeNeverScoresWorseThanMinMaxOnItsOwnMeasure() {
        float[] x = data(5, 50_000, false);
        for (QuantSpec spec : new QuantSpec[] {QuantSpec.affine(DataType.UINT8), QuantSpec.symmetric(DataType.INT4)}) {
            HistogramObserver o = HistogramObserver.mse();
            o.observe(x, new int[] {x.length});
            Histogram h = o.histogram(0);
            float[] r = new MseRange().select(h, spec);
            int first = 0, last = h.bins() - 1;
            while (h.count(first) == 0) first++;
            while (h.count(last) == 0) last--;
            double chosen = MseRange.expectedError(h, spec, r[0], r[1], first, last, h.binWidth());
            double full = MseRange.expectedError(h, spec, Math.min(h.min(), 0), Math.max(h.max(), 0), first, last, h.binWidth());
            assertTrue(chosen <= full, spec + ": " + chosen + " > " + full);
            assertTrue(actualMse(x, o.params(spec)) <= actualMse(x, dev.quant4j.core.quant.ParamsFromRange.perTensor(spec, h.min(), h.max())) * 1.02);
        }
    }

    @Test
    void perChannelHistogramsAreSeparateAndMemoryIsBounded() {
        HistogramObserver o = HistogramObserver.perChannel(0, new PercentileRange(100), 64);
        for (int b = 0; b < 2000; b++) o.observe(new float[] {b, -b * 0.5f, 1e-3f}, new int[] {3, 1});
        ChannelRanges r = o.ranges(QuantSpec.affine(DataType.INT8));
        assertEquals(1999f, r.max(0));
        assertEquals(-999.5f, r.min(1));
        assertEquals(1e-3f, r.min(2));
        assertEquals(-128, o.params(QuantSpec.affine(DataType.INT8)).zeroPoint(2), "params widen the range to include 0");
        assertEquals(64, o.histogram(0).counts().length);
        assertEquals(2000, o.histogram(2).total());
    }

    @Test
    void nonFiniteDataIsRejectedWithTheObserverName() {
        for (Observer o : new Observer[] {HistogramObserver.entropy(), MovingAverageMinMaxObserver.perTensor(0.01)}) {
            var e = assertThrows(IllegalArgumentException.class, () -> o.observe(new float[] {1, Float.POSITIVE_INFINITY}, new int[] {2}));
            assertTrue(e.getMessage().startsWith(o.name()) && e.getMessage().contains("Infinity"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> o.ranges(QuantSpec.affine(DataType.INT8)), "still empty");
        }
    }

    @Test
    void movingAverageMatchesTheRecurrence() {
        MovingAverageMinMaxObserver o = MovingAverageMinMaxObserver.perTensor(0.5);
        o.observe(new float[] {-1, 1}, new int[] {2});
        o.observe(new float[] {-3, 5}, new int[] {2});
        o.observe(new float[] {0, 2}, new int[] {2});
        // min: -1 -> -2 -> -1 ; max: 1 -> 3 -> 2.5
        ChannelRanges r = o.ranges(null);
        assertEquals(-1f, r.min(0));
        assertEquals(2.5f, r.max(0));
    }

    @Test
    void mergingDifferentKindsOrSettingsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> MinMaxObserver.perTensor().merge(HistogramObserver.mse()));
        assertThrows(IllegalArgumentException.class, () -> MinMaxObserver.perTensor().merge(MinMaxObserver.perChannel(0)));
        assertThrows(IllegalArgumentException.class, () -> HistogramObserver.percentile(99).merge(HistogramObserver.percentile(99.9)));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(100));
    }
}
