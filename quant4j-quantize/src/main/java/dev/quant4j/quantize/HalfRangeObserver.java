package dev.quant4j.quantize;

import dev.quant4j.core.calibration.ChannelRanges;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.numerics.Float16;
import dev.quant4j.core.quant.QuantSpec;

/**
 * What decides whether an activation can be computed in FP16: its largest magnitude (above
 * {@link Float16#MAX} it overflows to infinity) and how many of its non-zero values fall below
 * FP16's smallest normal 2^-14 (where precision drains away). Four numbers, mergeable: calibration
 * memory does not grow with the data set.
 */
public final class HalfRangeObserver implements Observer {
    static final float FP16_MIN_NORMAL = 0x1p-14f;

    private float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
    private long nonZero, subnormal;

    @Override
    public void observe(float[] batch, long[] shape) {
        float lo = min, hi = max;
        long nz = 0, tiny = 0;
        for (float v : batch) {
            if (Float.isNaN(v) || Float.isInfinite(v)) throw new IllegalArgumentException(name() + ": NaN or Inf in the batch");
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            float a = Math.abs(v);
            if (a != 0) { nz++; if (a < FP16_MIN_NORMAL) tiny++; }
        }
        min = lo; max = hi; nonZero += nz; subnormal += tiny;
    }

    @Override
    public void merge(Observer other) {
        if (!(other instanceof HalfRangeObserver o)) throw new IllegalArgumentException(name() + " cannot merge " + other.name());
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        nonZero += o.nonZero;
        subnormal += o.subnormal;
    }

    @Override
    public ChannelRanges ranges(QuantSpec spec) {
        if (min > max) throw new IllegalStateException(name() + ": no data observed");
        return new ChannelRanges(-1, new float[] {min}, new float[] {max});
    }

    public float maxAbs() { return Math.max(Math.abs(min), Math.abs(max)); }

    /** Share of the non-zero values observed that FP16 holds only as subnormals. */
    public double subnormalFraction() { return nonZero == 0 ? 0 : (double) subnormal / nonZero; }

    /** Why this activation should stay float32 in FP16 compute, or null. */
    public String fp16Problem(double maxSubnormalFraction) {
        if (min > max) return null;
        if (maxAbs() > Float16.MAX) return String.format("calibration value %.6g overflows fp16 (max %s)", maxAbs(), Float16.MAX);
        if (subnormalFraction() > maxSubnormalFraction)
            return String.format("%.1f%% of its non-zero calibration values would be fp16 subnormals", 100 * subnormalFraction());
        return null;
    }

    @Override
    public String name() { return "HalfRangeObserver"; }
}
