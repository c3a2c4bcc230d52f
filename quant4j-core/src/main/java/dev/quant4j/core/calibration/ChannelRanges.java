package dev.quant4j.core.calibration;

import java.util.Arrays;

/**
 * Ranges per channel: {@code axis} is the resolved (non-negative) channel axis, or -1 when the
 * ranges describe the whole tensor (then there is one entry).
 */
public record ChannelRanges(int axis, float[] mins, float[] maxs) {

    public ChannelRanges {
        if (mins.length != maxs.length) throw new IllegalArgumentException(mins.length + " minima but " + maxs.length + " maxima");
        if (axis < 0 && mins.length != 1) throw new IllegalArgumentException("per-tensor ranges need exactly one entry");
        mins = mins.clone();
        maxs = maxs.clone();
    }

    public boolean perChannel() { return axis >= 0; }

    public int channels() { return mins.length; }

    public float min(int c) { return mins[c]; }

    public float max(int c) { return maxs[c]; }

    @Override public float[] mins() { return mins.clone(); }

    @Override public float[] maxs() { return maxs.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof ChannelRanges r && axis == r.axis && Arrays.equals(mins, r.mins) && Arrays.equals(maxs, r.maxs);
    }

    @Override public int hashCode() { return 31 * (31 * axis + Arrays.hashCode(mins)) + Arrays.hashCode(maxs); }

    @Override public String toString() {
        return "ChannelRanges[axis " + axis + ", mins " + Arrays.toString(mins) + ", maxs " + Arrays.toString(maxs) + "]";
    }
}
