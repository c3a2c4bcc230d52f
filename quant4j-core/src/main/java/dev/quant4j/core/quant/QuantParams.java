package dev.quant4j.core.quant;

import java.util.Arrays;

/**
 * Scales and zero-points of a quantized tensor, validated in one place.
 *
 * <p>Real value {@code r} and code {@code q} relate as {@code r = scale * (q - zeroPoint)}.
 * The parameter arrays are laid out as ONNX does: one value for {@link Granularity#PER_TENSOR};
 * {@code shape[axis]} values for {@link Granularity#PER_CHANNEL}; for
 * {@link Granularity#PER_BLOCK} the input's shape with {@code shape[axis]} divided by
 * {@code blockSize}, row-major (see {@link ParamLayout}).
 *
 * <p>Checked on construction: every scale is finite and &gt; 0; every zero-point lies inside the
 * type (and equals the symmetric zero-point when the spec is symmetric); the array lengths agree;
 * a block size is positive for blocks and 0 otherwise. Checked against a shape by
 * {@link #layout(long[])}: the axis exists, the channel count matches, the block size divides the
 * axis.
 *
 * @param axis the quantization axis (negative counts from the end); ignored for PER_TENSOR
 * @param blockSize block length along the axis for PER_BLOCK, else 0
 */
public record QuantParams(QuantSpec spec, Granularity granularity, int axis, int blockSize,
                          float[] scales, int[] zeroPoints) {

    public QuantParams {
        if (spec == null) throw new IllegalArgumentException("quantization spec is null");
        if (granularity == null) throw new IllegalArgumentException("granularity is null");
        if (scales == null || scales.length == 0) throw new IllegalArgumentException("no scales given");
        if (zeroPoints == null) {
            zeroPoints = new int[scales.length];
            Arrays.fill(zeroPoints, spec.symmetricZeroPoint());
        }
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
        if (zeroPoints.length != scales.length) {
            throw new IllegalArgumentException(scales.length + " scales but " + zeroPoints.length + " zero-points");
        }
        switch (granularity) {
            case PER_TENSOR -> {
                if (scales.length != 1) throw new IllegalArgumentException("per-tensor quantization takes 1 scale, got " + scales.length);
                if (blockSize != 0) throw new IllegalArgumentException("block size " + blockSize + " given for per-tensor quantization");
            }
            case PER_CHANNEL -> {
                if (blockSize != 0) throw new IllegalArgumentException("block size " + blockSize + " given for per-channel quantization");
            }
            case PER_BLOCK -> {
                if (blockSize <= 0) throw new IllegalArgumentException("block size must be positive, got " + blockSize);
            }
        }
        long lo = spec.isFloat8() ? 0 : spec.type().minValue(), hi = spec.isFloat8() ? 0 : spec.type().maxValue();
        for (int i = 0; i < scales.length; i++) {
            float s = scales[i];
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("scale[" + i + "] = " + s + ": a scale must be finite and > 0");
            }
            int z = zeroPoints[i];
            if (z < lo || z > hi) {
                throw new IllegalArgumentException("zero-point[" + i + "] = " + z + " is outside " + spec.type() + " (" + lo + ".." + hi + ")");
            }
            if (spec.symmetric() && z != spec.symmetricZeroPoint()) {
                throw new IllegalArgumentException("zero-point[" + i + "] = " + z + " but the symmetric scheme for "
                        + spec.type() + " fixes it at " + spec.symmetricZeroPoint());
            }
        }
    }

    public static QuantParams perTensor(QuantSpec spec, float scale, int zeroPoint) {
        return new QuantParams(spec, Granularity.PER_TENSOR, 0, 0, new float[] {scale}, new int[] {zeroPoint});
    }

    public static QuantParams perChannel(QuantSpec spec, int axis, float[] scales, int[] zeroPoints) {
        return new QuantParams(spec, Granularity.PER_CHANNEL, axis, 0, scales, zeroPoints);
    }

    public static QuantParams perBlock(QuantSpec spec, int axis, int blockSize, float[] scales, int[] zeroPoints) {
        return new QuantParams(spec, Granularity.PER_BLOCK, axis, blockSize, scales, zeroPoints);
    }

    /** Number of (scale, zero-point) pairs. */
    public int count() { return scales.length; }

    public float scale(int i) { return scales[i]; }

    public int zeroPoint(int i) { return zeroPoints[i]; }

    /** A copy of the scales. */
    @Override public float[] scales() { return scales.clone(); }

    /** A copy of the zero-points. */
    @Override public int[] zeroPoints() { return zeroPoints.clone(); }

    /**
     * The layout of a tensor of {@code shape} quantized with these parameters; throws when they do not
     * fit it (axis out of range, wrong channel count, a block size that does not divide the axis,
     * wrong number of block parameters).
     */
    public ParamLayout layout(long[] shape) {
        ParamLayout l = ParamLayout.of(shape, granularity == Granularity.PER_TENSOR ? 0 : axis);
        switch (granularity) {
            case PER_TENSOR -> { }
            case PER_CHANNEL -> {
                if (l.dim() != scales.length) {
                    throw new IllegalArgumentException("per-channel parameters have " + scales.length
                            + " channels but axis " + axis + " of shape " + Arrays.toString(shape) + " has " + l.dim());
                }
            }
            case PER_BLOCK -> {
                if (l.dim() % blockSize != 0) {
                    throw new IllegalArgumentException("block size " + blockSize + " does not divide axis " + axis
                            + " of length " + l.dim() + " in shape " + Arrays.toString(shape));
                }
                long expected = (long) l.outer() * (l.dim() / blockSize) * l.inner();
                if (expected != scales.length) {
                    throw new IllegalArgumentException("blocked parameters for shape " + Arrays.toString(shape)
                            + " need " + expected + " scales, got " + scales.length);
                }
            }
        }
        return l;
    }

    @Override public boolean equals(Object o) {
        return o instanceof QuantParams p && spec.equals(p.spec) && granularity == p.granularity
                && (granularity == Granularity.PER_TENSOR || axis == p.axis) && blockSize == p.blockSize
                && Arrays.equals(scales, p.scales) && Arrays.equals(zeroPoints, p.zeroPoints);
    }

    @Override public int hashCode() {
        return 31 * (31 * spec.hashCode() + granularity.hashCode()) + 31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints);
    }

    @Override public String toString() {
        String s = count() <= 8 ? Arrays.toString(scales) : count() + " scales";
        String z = count() <= 8 ? Arrays.toString(zeroPoints) : count() + " zero-points";
        return "QuantParams[" + spec + ", " + granularity + (granularity == Granularity.PER_TENSOR ? "" : ", axis " + axis)
                + (blockSize > 0 ? ", block " + blockSize : "") + ", scales " + s + ", zero-points " + z + "]";
    }
}
