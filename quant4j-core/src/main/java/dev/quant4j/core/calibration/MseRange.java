package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.Quantizer;

/**
 * The clipping range that minimises the expected squared quantization error over the histogram.
 *
 * <p>Candidates shrink the observed range [min, max] (widened to include 0) by a common factor
 * k / steps, k = 1..steps. For each, the scale and zero-point come from {@link ParamsFromRange}, and
 * the error is the sum over bins of count x (c - fakeQuant(c))^2 at the bin centre c, which is close
 * to the true error when the bins are much finer than the quantization step (N bins vs 2^bits
 * levels). The factor 1 (no clipping) is always a candidate, so the result is never worse than
 * min/max on this measure.
 */
public record MseRange(int steps) implements HistogramRange {

    public MseRange {
        if (steps < 1) throw new IllegalArgumentException("MSE search needs at least 1 step, got " + steps);
    }

    public MseRange() { this(128); }

    @Override public float[] select(Histogram h, QuantSpec spec) {
        HistogramRange.integerSpec(spec, "MSE");
        double lo = Math.min(h.min(), 0), hi = Math.max(h.max(), 0);
        double w = h.binWidth();
        int first = 0, last = h.bins() - 1;
        while (h.count(first) == 0) first++;
        while (h.count(last) == 0) last--;
        double bestErr = Double.POSITIVE_INFINITY;
        float[] best = {(float) lo, (float) hi};
        for (int k = steps; k >= 1; k--) {
            double f = (double) k / steps;
            float cl = (float) (lo * f), ch = (float) (hi * f);
            double err = expectedError(h, spec, cl, ch, first, last, w);
            if (err < bestErr) { bestErr = err; best = new float[] {cl, ch}; }
        }
        return best;
    }

    /** Sum of count x squared error at bin centres for the range [lo, hi]. */
    static double expectedError(Histogram h, QuantSpec spec, float lo, float hi, int first, int last, double w) {
        ParamsFromRange.ScaleZeroPoint sz = ParamsFromRange.choose(spec, lo, hi);
        int qmin = spec.qmin(), qmax = spec.qmax();
        double err = 0;
        for (int j = first; j <= last; j++) {
            long n = h.count(j);
            if (n == 0) continue;
            float c = (float) (h.lowerEdge(j) + w / 2);
            float fq = Quantizer.dequantize(Quantizer.quantize(c, sz.scale(), sz.zeroPoint(), qmin, qmax), sz.scale(), sz.zeroPoint());
            double d = (double) c - fq;
            err += n * d * d;
        }
        return err;
    }
}
