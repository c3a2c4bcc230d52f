package dev.quant4j.data.audio;

/**
 * Changes the sample rate by band-limited interpolation: each output sample at time t is
 * {@code Σ x[k] · g · sinc(g·(t·fin − k)) · w}, a sinc low-pass at {@code rolloff} × the lower
 * Nyquist frequency ({@code g = rolloff · min(1, fout/fin)}, so downsampling filters out what the
 * new rate cannot hold), truncated to {@code ZEROS} zero crossings each side and tapered by a
 * Kaiser window (β = {@code BETA}). The sum is evaluated directly in double precision; inputs
 * past the ends count as silence.
 *
 * <p>With these constants a tone up to 0.85 × the lower Nyquist frequency comes through within
 * 10⁻³ of its exact value, and tones above the new Nyquist frequency are suppressed (see
 * ResamplerTest).
 */
public final class Resampler {
    private Resampler() {}

    static final int ZEROS = 32;
    static final double BETA = 9.0;
    static final double ROLLOFF = 0.94;

    /** Above this many distinct filter phases the taps are computed per output sample instead of tabulated. */
    static final int MAX_PHASES = 4096;

    public static float[] resample(float[] x, int fromRate, int toRate) {
        if (fromRate < 1 || toRate < 1) throw new IllegalArgumentException("rates " + fromRate + " → " + toRate);
        if (fromRate == toRate) return x.clone();
        // output m sits at input position m·M/L: its integer part and one of L fractional phases
        long gcd = java.math.BigInteger.valueOf(fromRate).gcd(java.math.BigInteger.valueOf(toRate)).longValue();
        long L = toRate / gcd, M = fromRate / gcd;
        double g = ROLLOFF * Math.min(1, (double) toRate / fromRate);
        double halfWidth = ZEROS / g; // in input samples
        int J = (int) Math.ceil(halfWidth);
        int n = (int) (x.length * L / M);
        double[][] table = L <= MAX_PHASES ? new double[(int) L][] : null;
        float[] y = new float[n];
        double[] taps = new double[2 * J + 2];
        for (int m = 0; m < n; m++) {
            long base = m * M / L;
            int phase = (int) (m * M % L);
            double[] t = taps;
            if (table != null) {
                if (table[phase] == null) table[phase] = taps(phase / (double) L, J, halfWidth, g, new double[2 * J + 2]);
                t = table[phase];
            } else {
                taps(phase / (double) L, J, halfWidth, g, taps);
            }
            double acc = 0;
            // tap i weighs input k = base + i − J
            int i0 = (int) Math.max(0, J - base), i1 = (int) Math.min(t.length - 1, x.length - 1 - base + J);
            for (int i = i0; i <= i1; i++) acc += x[(int) (base + i - J)] * t[i];
            y[m] = (float) acc;
        }
        return y;
    }

    /** Weights of inputs at distance {@code d = frac − (i − J)} from the output position. */
    private static double[] taps(double frac, int J, double halfWidth, double g, double[] out) {
        double i0Beta = besselI0(BETA);
        for (int i = 0; i < out.length; i++) {
            double d = frac - (i - J);
            double u = d / halfWidth;
            out[i] = Math.abs(u) > 1 ? 0 : g * sinc(g * d) * besselI0(BETA * Math.sqrt(1 - u * u)) / i0Beta;
        }
        return out;
    }

    static double sinc(double v) {
        if (v == 0) return 1;
        double p = Math.PI * v;
        return Math.sin(p) / p;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (converges fast for β ≤ 20). */
    static double besselI0(double v) {
        double sum = 1, term = 1, q = v * v / 4;
        for (int k = 1; k < 60; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }
}
