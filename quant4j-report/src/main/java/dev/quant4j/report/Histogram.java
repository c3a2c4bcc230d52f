package dev.quant4j.report;

import java.util.List;

/**
 * Counts of a tensor's values in equal-width bins over [min, max], with the quantization grid used for it.
 *
 * @param tensor the tensor's name (from the model file: escaped when shown)
 * @param kind   "weight" or "activation"
 * @param counts values per bin; bin i covers [min + i*w, min + (i+1)*w) with w = (max-min)/counts.size()
 * @param grid   the grid the tensor was quantized to, null when it stayed float
 */
public record Histogram(String tensor, String kind, double min, double max, List<Long> counts, QuantGrid grid) {
    public Histogram {
        Check.text(tensor, "tensor");
        Check.text(kind, "kind");
        Check.finite(min, "min");
        Check.finite(max, "max");
        if (!(min < max)) throw new IllegalArgumentException("histogram range empty: [" + min + ", " + max + "]");
        counts = Check.list(counts);
        if (counts.isEmpty()) throw new IllegalArgumentException("histogram of " + tensor + " has no bins");
        for (Long c : counts) Check.nonNegative(c, "count");
    }

    /**
     * Bins the values over a range that covers both the data and the grid's clip bounds, so both show.
     *
     * @throws IllegalArgumentException when values is empty or holds a NaN or infinity
     */
    public static Histogram of(String tensor, String kind, float[] values, int bins, QuantGrid grid) {
        if (values.length == 0) throw new IllegalArgumentException("no values for histogram of " + tensor);
        if (bins < 1) throw new IllegalArgumentException("bins < 1: " + bins);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException(tensor + " holds a non-finite value: " + v);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (grid != null) {
            lo = Math.min(lo, grid.low());
            hi = Math.max(hi, grid.high());
        }
        if (lo == hi) { // a constant tensor: give it a bin of visible width
            lo -= 0.5;
            hi += 0.5;
        }
        long[] counts = new long[bins];
        double width = (hi - lo) / bins;
        for (float v : values) {
            int b = (int) ((v - lo) / width);
            counts[Math.min(Math.max(b, 0), bins - 1)]++; // the maximum lands in the last bin
        }
        return new Histogram(tensor, kind, lo, hi, java.util.Arrays.stream(counts).boxed().toList(), grid);
    }

    public long total() {
        long t = 0;
        for (long c : counts) t += c;
        return t;
    }
}
