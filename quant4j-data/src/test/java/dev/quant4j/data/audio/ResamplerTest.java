package dev.quant4j.data.audio;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The reference is the exact analytic signal: a sampled sine, resampled, is the same sine at the new rate. */
class ResamplerTest {
    static float[] sine(double hz, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate + 0.3));
        return x;
    }

    /** Largest error against the analytic sine, away from the edges where the filter sees silence. */
    static double maxError(float[] y, double hz, int rate, int margin) {
        double max = 0;
        for (int m = margin; m < y.length - margin; m++)
            max = Math.max(max, Math.abs(y[m] - 0.5 * Math.sin(2 * Math.PI * hz * m / rate + 0.3)));
        return max;
    }

    static double rms(float[] y, int margin) {
        double s = 0;
        for (int m = margin; m < y.length - margin; m++) s += y[m] * y[m];
        return Math.sqrt(s / (y.length - 2 * margin));
    }

    @Test
    void downAndUpsampledTonesMatchTheAnalyticSignal() {
        // 44,100 → 16,001 has 16,001 filter phases: the untabulated path
        int[][] rates = {{44_100, 16_000}, {48_000, 16_000}, {22_050, 16_000}, {8_000, 16_000}, {44_100, 16_001}};
        for (int[] r : rates) {
            for (double hz : new double[] {100, 440, 3000, 0.85 * Math.min(r[0], r[1]) / 2}) {
                float[] y = Resampler.resample(sine(hz, r[0], r[0] / 2), r[0], r[1]);
                assertEquals(r[1] / 2, y.length);
                double err = maxError(y, hz, r[1], 400);
                assertTrue(err < 1e-3, r[0] + "→" + r[1] + " at " + hz + " Hz: error " + err);
            }
        }
    }

    @Test
    void tonesAboveTheNewNyquistFrequencyAreRemoved() {
        // 10 kHz at 44.1 kHz cannot exist at 16 kHz; without filtering it would alias to 6 kHz at full level.
        float[] y = Resampler.resample(sine(10_000, 44_100, 22_050), 44_100, 16_000);
        assertTrue(rms(y, 400) < 0.5 / Math.sqrt(2) * 1e-3, "residual rms " + rms(y, 400));
    }

    @Test
    void besselI0MatchesPublishedValues() {
        // Abramowitz & Stegun table 9.8: I0(1) = 1.266065878, I0(5) = 27.23987182
        assertEquals(1.266065878, Resampler.besselI0(1), 1e-9);
        assertEquals(27.23987182, Resampler.besselI0(5), 1e-7);
    }
}
