package dev.quant4j.quantize.optimize;

import dev.quant4j.core.DataType;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.ParamsFromRange.ScaleZeroPoint;
import dev.quant4j.core.quant.QuantSpec;
import dev.quant4j.core.quant.Quantizer;

/**
 * The grid of one weight block: the same specs as {@link dev.quant4j.quantize.BlockQuantizedWeight}
 * (symmetric narrow signed, or affine unsigned), with the block's scale and zero-point chosen
 * either from its min/max (round-to-nearest) or by a search over clipping ratios r: the range
 * [r·min, r·max] whose grid gives the least (optionally importance-weighted) squared error on the
 * block's own values. Clipping trades a larger error on the few extreme weights for a finer step
 * on all others; r = 1 is always a candidate, so the search never does worse than min/max on the
 * measure it minimizes.
 */
final class BlockGrid {
    /** Candidate ratios 1, 0.975, …, 0.5. */
    static final int STEPS = 21;

    private BlockGrid() {}

    static QuantSpec spec(int bits, boolean symmetric) {
        if (bits != 4 && bits != 8) throw new IllegalArgumentException("bits must be 4 or 8, got " + bits);
        return symmetric ? QuantSpec.symmetric(bits == 4 ? DataType.INT4 : DataType.INT8).withNarrowRange()
                : QuantSpec.affine(bits == 4 ? DataType.UINT4 : DataType.UINT8);
    }

    /** Scale and zero-point for {@code v[0..len)}; importance may be null (all 1). */
    static ScaleZeroPoint choose(QuantSpec spec, double[] v, int len, double[] importance, boolean search) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) { lo = Math.min(lo, v[i]); hi = Math.max(hi, v[i]); }
        ScaleZeroPoint best = ParamsFromRange.choose(spec, lo, hi);
        if (!search) return best;
        double bestErr = error(spec, best, v, len, importance);
        for (int s = 1; s < STEPS; s++) {
            double r = 1 - 0.5 * s / (STEPS - 1);
            ScaleZeroPoint c = ParamsFromRange.choose(spec, lo * r, hi * r);
            double e = error(spec, c, v, len, importance);
            if (e < bestErr) { bestErr = e; best = c; }
        }
        return best;
    }

    static double error(QuantSpec spec, ScaleZeroPoint p, double[] v, int len, double[] importance) {
        double e = 0;
        for (int i = 0; i < len; i++) {
            double d = v[i] - dequantize(spec, p, v[i]);
            e += importance == null ? d * d : importance[i] * d * d;
        }
        return e;
    }

    static int code(QuantSpec spec, ScaleZeroPoint p, double v) {
        return Quantizer.quantize((float) v, p.scale(), p.zeroPoint(), spec.qmin(), spec.qmax());
    }

    static double dequantize(QuantSpec spec, ScaleZeroPoint p, double v) {
        return Quantizer.dequantize(code(spec, p, v), p.scale(), p.zeroPoint());
    }
}
