package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.ParamLayout;
import java.util.Arrays;

/**
 * The channel axis of an observer, bound to a rank and channel count by the first batch; checks
 * later batches and merge partners against it, and checks batches for NaN/Inf before any statistic
 * changes.
 */
final class ChannelBinding {
    /** Marks a per-tensor observer. */
    static final int PER_TENSOR = Integer.MIN_VALUE;

    private final int axis;
    private int rank = -1;
    private int channels = -1;

    ChannelBinding(int axis) {
        this.axis = axis;
    }

    boolean perTensor() { return axis == PER_TENSOR; }

    int configuredAxis() { return axis; }

    /** Channel count, or -1 before the first batch. */
    int channels() { return channels; }

    /** The resolved axis, or -1 for per-tensor. */
    int resolvedAxis() {
        return perTensor() || rank < 0 ? -1 : ParamLayout.resolveAxis(axis, rank);
    }

    /** Validates a batch and returns its layout (per-tensor: one channel of all elements). */
    ParamLayout bind(String observer, float[] batch, long[] shape) {
        if (batch == null) throw new IllegalArgumentException(observer + ": batch is null");
        ParamLayout l;
        try {
            l = perTensor() ? ParamLayout.of(new long[] {count(shape)}, 0) : ParamLayout.of(shape, axis);
            l.checkLength(batch.length, "batch");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(observer + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < batch.length; i++) {
            if (!Float.isFinite(batch[i])) {
                throw new IllegalArgumentException(observer + ": batch element " + i + " is " + batch[i]
                        + "; calibration data must be finite");
            }
        }
        if (perTensor()) {
            if (channels < 0) channels = 1;
            return new ParamLayout(1, 1, l.count(), l.count());
        }
        if (rank < 0) {
            rank = shape.length;
            channels = l.dim();
        } else if (rank != shape.length || channels != l.dim()) {
            throw new IllegalArgumentException(observer + ": batch of shape " + Arrays.toString(shape)
                    + " does not match the earlier rank " + rank + " with " + channels + " channels on axis " + axis);
        }
        return l;
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Checks that {@code other} can merge into this one and adopts its binding if this one has none. */
    void mergeFrom(String observer, ChannelBinding other) {
        if (other.axis != axis) {
            throw new IllegalArgumentException(observer + ": cannot merge an observer with channel axis " + describe(other.axis));
        }
        if (other.rank < 0 && other.channels < 0) return;
        if (channels < 0) {
            rank = other.rank;
            channels = other.channels;
        } else if (rank != other.rank || channels != other.channels) {
            throw new IllegalArgumentException(observer + ": cannot merge an observer that saw rank " + other.rank
                    + " with " + other.channels + " channels into one that saw rank " + rank + " with " + channels);
        }
    }

    static String describe(int axis) {
        return axis == PER_TENSOR ? "(per tensor)" : String.valueOf(axis);
    }

    /** Lowers {@code lo[c]} and raises {@code hi[c]} to the batch's extremes of each channel c. */
    static void channelMinMax(ParamLayout l, float[] batch, float[] lo, float[] hi) {
        int idx = 0;
        for (int o = 0; o < l.outer(); o++) {
            for (int d = 0; d < l.dim(); d++) {
                float a = lo[d], b = hi[d];
                for (int i = 0; i < l.inner(); i++, idx++) {
                    float v = batch[idx];
                    if (v < a) a = v;
                    if (v > b) b = v;
                }
                lo[d] = a;
                hi[d] = b;
            }
        }
    }

    /** Fresh accumulators for {@link #channelMinMax}. */
    static float[][] emptyMinMax(int channels) {
        float[] lo = new float[channels], hi = new float[channels];
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        return new float[][] {lo, hi};
    }
}
