package dev.quant4j.core.quant;

import dev.quant4j.core.numerics.Float8Format;
import java.util.Arrays;

/**
 * Chooses scale and zero-point from an observed range {@code [min, max]}.
 *
 * <p>The range is first widened to include 0, so that 0 maps to the integer zero-point exactly
 * (padding and ReLU outputs stay exact). Then, with {@code qmin..qmax} from the spec:
 *
 * <pre>
 *   affine:     scale = (max - min) / (qmax - qmin)     zeroPoint = clamp(rint(qmin - min / scale))
 *   symmetric:  a = max(-min, max)
 *               scale = 2a / (qmax - qmin)              zeroPoint = 0 (signed) or the range middle
 * </pre>
 *
 * For the 8-bit float types the scale maps the larger magnitude to the format's largest finite
 * value, with zero-point 0.
 *
 * <p>These are ONNX DynamicQuantizeLinear's formulas (and ONNX Runtime's quantization tool's), and they
 * are evaluated in float32 as there, so the scales and zero-points match theirs to the bit. A range
 * of width 0 gives scale 1 and the zero-point nearest 0, so that any value in it, namely 0, is
 * exact. Scales never fall below {@link Float#MIN_NORMAL}.
 */
public final class ParamsFromRange {
    private ParamsFromRange() {}

    /** A scale and zero-point pair. */
    public record ScaleZeroPoint(float scale, int zeroPoint) {}

    /** Scale and zero-point for one range. */
    public static ScaleZeroPoint choose(QuantSpec spec, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is not finite");
        }
        if (min > max) throw new IllegalArgumentException("range min " + min + " > max " + max);
        float lo = Math.min((float) min, 0f), hi = Math.max((float) max, 0f);
        if (spec.isFloat8()) {
            // absmax maps to the format's largest finite value
            float a = Math.max(-lo, hi), fmax = Float8Format.of(spec.type()).max();
            return new ScaleZeroPoint(a == 0 ? 1f : toScale(a / fmax, (double) a / fmax), 0);
        }
        int qmin = spec.qmin(), qmax = spec.qmax();
        float levels = (float) ((double) qmax - qmin);
        if (spec.symmetric()) {
            float a = Math.max(-lo, hi);
            if (a == 0) return new ScaleZeroPoint(1f, spec.symmetricZeroPoint());
            return new ScaleZeroPoint(toScale((a - -a) / levels, 2.0 * a / levels), spec.symmetricZeroPoint());
        }
        if (hi == lo) return new ScaleZeroPoint(1f, Math.clamp(0, qmin, qmax));
        float s = toScale((hi - lo) / levels, ((double) hi - lo) / levels);
        double z = Math.rint((float) qmin - lo / s);   // float32 arithmetic, as ONNX
        return new ScaleZeroPoint(s, (int) Math.clamp(z, qmin, qmax));
    }

    /**
     * The float32 scale as ONNX computes it; {@code wide} (the float64 value) only when the float32
     * arithmetic overflowed (ranges near Float.MAX_VALUE).
     */
    private static float toScale(float s, double wide) {
        if (!Float.isFinite(s)) s = (float) wide;
        return Math.max(s, Float.MIN_NORMAL);
    }

    public static QuantParams perTensor(QuantSpec spec, double min, double max) {
        ScaleZeroPoint sz = choose(spec, min, max);
        return QuantParams.perTensor(spec, sz.scale(), sz.zeroPoint());
    }

    /** One scale per channel along {@code axis}, from per-channel ranges. */
    public static QuantParams perChannel(QuantSpec spec, int axis, float[] mins, float[] maxs) {
        return QuantParams.perChannel(spec, axis, scalesOf(spec, mins, maxs), zeroPointsOf(spec, mins, maxs));
    }

    /** Blocked parameters from per-block ranges (laid out as {@link QuantParams} describes). */
    public static QuantParams perBlock(QuantSpec spec, int axis, int blockSize, float[] mins, float[] maxs) {
        return QuantParams.perBlock(spec, axis, blockSize, scalesOf(spec, mins, maxs), zeroPointsOf(spec, mins, maxs));
    }

    private static float[] scalesOf(QuantSpec spec, float[] mins, float[] maxs) {
        if (mins.length != maxs.length) throw new IllegalArgumentException(mins.length + " minima but " + maxs.length + " maxima");
        float[] s = new float[mins.length];
        for (int i = 0; i < s.length; i++) s[i] = choose(spec, mins[i], maxs[i]).scale();
        return s;
    }

    private static int[] zeroPointsOf(QuantSpec spec, float[] mins, float[] maxs) {
        int[] z = new int[mins.length];
        for (int i = 0; i < z.length; i++) z[i] = choose(spec, mins[i], maxs[i]).zeroPoint();
        return z;
    }

    /**
     * Parameters fitted to the min/max of {@code x} itself (for weights), at the given granularity.
     * Throws on NaN or Inf in {@code x}.
     */
    public static QuantParams fromData(QuantSpec spec, float[] x, long[] shape, Granularity g, int axis, int blockSize) {
        ParamLayout l = ParamLayout.of(shape, g == Granularity.PER_TENSOR ? 0 : axis);
        l.checkLength(x.length, "data");
        int groups = switch (g) {
            case PER_TENSOR -> 1;
            case PER_CHANNEL -> l.dim();
            case PER_BLOCK -> {
                if (blockSize <= 0 || l.dim() % blockSize != 0) {
                    throw new IllegalArgumentException("block size " + blockSize + " does not divide axis " + axis
                            + " of length " + l.dim() + " in shape " + Arrays.toString(shape));
                }
                yield l.outer() * (l.dim() / blockSize) * l.inner();
            }
        };
        float[] mins = new float[groups], maxs = new float[groups];
        Arrays.fill(mins, Float.POSITIVE_INFINITY);
        Arrays.fill(maxs, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) throw new IllegalArgumentException("data[" + i + "] = " + x[i] + " is not finite");
        }
        Quantizer.forEachRun(l, g, blockSize, (from, len, param, step) -> {
            for (int i = from, k = param; i < from + len; i++, k += step) {
                mins[k] = Math.min(mins[k], x[i]);
                maxs[k] = Math.max(maxs[k], x[i]);
            }
        });
        if (l.count() == 0) { Arrays.fill(mins, 0f); Arrays.fill(maxs, 0f); }
        return switch (g) {
            case PER_TENSOR -> perTensor(spec, mins[0], maxs[0]);
            case PER_CHANNEL -> perChannel(spec, axis, mins, maxs);
            case PER_BLOCK -> perBlock(spec, axis, blockSize, mins, maxs);
        };
    }
}
