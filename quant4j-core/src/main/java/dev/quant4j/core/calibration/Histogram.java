package dev.quant4j.core.calibration;

import java.util.Arrays;

/**
 * A fixed-size histogram whose bins have a power-of-two width and are anchored at zero, so that
 * any two histograms over different data merge exactly.
 *
 * <pre>
 *   N bins, width w = 2^e:   bin j covers [(j - N/2) w, (j - N/2 + 1) w)
 *
 *   -N/2 w                        0                         N/2 w
 *     |  0  |  1  | ... | N/2-1 | N/2 | ... | N-2 | N-1 |
 * </pre>
 *
 * The exponent {@code e} is the smallest for which every value seen satisfies |x| &lt; (N/2) 2^e.
 * When a value needs a wider range, {@code e} grows and bins merge: old bin offset {@code t = j - N/2}
 * goes to new offset {@code floor(t / 2^s)}. Because {@code floor(floor(x / w) / 2^s) = floor(x / (w 2^s))},
 * a value lands in the same bin whether it was added before or after widening; and since the final
 * {@code e} only depends on the largest |x| seen, the counts after any sequence of adds and merges
 * equal those of one pass over all the data. Memory is N longs, whatever the number of samples.
 */
public final class Histogram {
    /** Exponent used while every value seen is 0. */
    static final int MIN_EXPONENT = -200;

    private final int bins;
    private final int half;
    private final int log2Half;
    private final long[] counts;
    private int exponent = Integer.MIN_VALUE;   // MIN_VALUE: empty
    private double inverseWidth;                // 2^-exponent: v * 2^-e is exact, and cheaper than Math.scalb
    private long total;
    private float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;

    /** {@code bins} must be a power of two, at least 4. */
    public Histogram(int bins) {
        if (bins < 4 || Integer.bitCount(bins) != 1) {
            throw new IllegalArgumentException("histogram bin count must be a power of two >= 4, got " + bins);
        }
        this.bins = bins;
        this.half = bins / 2;
        this.log2Half = Integer.numberOfTrailingZeros(half);
        this.counts = new long[bins];
    }

    public int bins() { return bins; }

    public long total() { return total; }

    /** Exact smallest value added (+Inf when empty). */
    public float min() { return min; }

    /** Exact largest value added (-Inf when empty). */
    public float max() { return max; }

    public boolean isEmpty() { return total == 0; }

    /** log2 of the bin width (only meaningful when not empty). */
    public int exponent() { return exponent; }

    public double binWidth() { return Math.scalb(1.0, exponent); }

    /** Lower edge of bin {@code j}. */
    public double lowerEdge(int j) { return Math.scalb((double) (j - half), exponent); }

    public long count(int j) { return counts[j]; }

    public long[] counts() { return counts.clone(); }

    /** Adds finite values (the caller has checked them). */
    public void add(float[] x, int off, int len) {
        if (len == 0) return;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) throw new IllegalArgumentException("histogram value " + v + " at index " + i + " is not finite");
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        cover(lo, hi);
        for (int i = off; i < off + len; i++) addCovered(x[i]);
    }

    /** Widens (if needed) so that [lo, hi] fits, and records them as seen extremes. */
    void cover(float lo, float hi) {
        double a = Math.max(Math.abs((double) lo), Math.abs((double) hi));
        int need = a == 0 ? MIN_EXPONENT : Math.max(MIN_EXPONENT, Math.getExponent(a) + 1 - log2Half);
        widenTo(need);
        min = Math.min(min, lo);
        max = Math.max(max, hi);
    }

    /** Adds a value already inside the range made by {@link #cover}. */
    void addCovered(float v) {
        int j = (int) Math.floor(v * inverseWidth) + half;
        counts[j]++;
        total++;
    }

    private void widenTo(int e) {
        if (exponent == Integer.MIN_VALUE) { setExponent(e); return; }
        if (e <= exponent) return;
        int s = Math.min(e - exponent, 31);
        long[] merged = new long[bins];
        for (int j = 0; j < bins; j++) merged[((j - half) >> s) + half] += counts[j];
        System.arraycopy(merged, 0, counts, 0, bins);
        setExponent(e);
    }

    private void setExponent(int e) {
        exponent = e;
        inverseWidth = Math.scalb(1.0, -e);   // e in [-200, 119]: a normal double, and v * 2^-e stays normal
    }

    /** Adds all of {@code other}'s counts; both must have the same bin count. */
    public void merge(Histogram other) {
        if (other.bins != bins) throw new IllegalArgumentException("cannot merge histograms of " + bins + " and " + other.bins + " bins");
        if (other.isEmpty()) return;
        Histogram o = other;
        if (other.exponent < exponent) {
            o = other.copy();
            o.widenTo(exponent);
        } else {
            widenTo(other.exponent);
        }
        for (int j = 0; j < bins; j++) counts[j] += o.counts[j];
        total += o.total;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    public Histogram copy() {
        Histogram h = new Histogram(bins);
        System.arraycopy(counts, 0, h.counts, 0, bins);
        h.exponent = exponent;
        h.inverseWidth = inverseWidth;
        h.total = total;
        h.min = min;
        h.max = max;
        return h;
    }

    /**
     * Counts of |x|: {@code N/2} bins, bin k covering magnitudes [k w, (k+1) w] (the negative bin
     * {@code N/2-1-k} holds values in [-(k+1) w, -k w), whose magnitudes fall in that interval).
     */
    public long[] absoluteCounts() {
        long[] a = new long[half];
        for (int k = 0; k < half; k++) a[k] = counts[half + k] + counts[half - 1 - k];
        return a;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Histogram h && bins == h.bins && total == h.total
                && (total == 0 || (exponent == h.exponent && Float.compare(min, h.min) == 0 && Float.compare(max, h.max) == 0))
                && Arrays.equals(counts, h.counts);
    }

    @Override public int hashCode() { return Arrays.hashCode(counts) * 31 + exponent; }

    @Override public String toString() {
        return "Histogram[" + bins + " bins of 2^" + exponent + ", total " + total + ", min " + min + ", max " + max + "]";
    }
}
