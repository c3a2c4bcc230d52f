package dev.quant4j.quantize.optimize;

/** max |x_c| per channel c of the last axis over every row seen; mergeable (a maximum of maxima). */
public final class ChannelAbsMax {
    private final float[] max;

    public ChannelAbsMax(int channels) {
        if (channels <= 0) throw new IllegalArgumentException("channels = " + channels);
        max = new float[channels];
    }

    public int channels() { return max.length; }

    /** Adds the rows of {@code x} (row-major, last axis = channels) whose {@code mask} entry is true (null: all). */
    public void add(float[] x, boolean[] mask) {
        int c = max.length;
        if (x.length % c != 0) throw new IllegalArgumentException(x.length + " values are not rows of " + c);
        int n = x.length / c;
        if (mask != null && mask.length != n) throw new IllegalArgumentException("mask has " + mask.length + " entries for " + n + " rows");
        for (int r = 0; r < n; r++) {
            if (mask != null && !mask[r]) continue;
            for (int j = 0; j < c; j++) max[j] = Math.max(max[j], Math.abs(x[r * c + j]));
        }
    }

    public void merge(ChannelAbsMax other) {
        if (other.max.length != max.length) throw new IllegalArgumentException("cannot merge " + other.max.length + " and " + max.length + " channels");
        for (int j = 0; j < max.length; j++) max[j] = Math.max(max[j], other.max[j]);
    }

    public float[] values() { return max.clone(); }
}
