package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.ParamLayout;
import dev.quant4j.core.quant.QuantSpec;

/**
 * Keeps one power-of-two {@link Histogram} per channel (or one for the tensor) and picks the range
 * with a {@link HistogramRange}: percentile, entropy (KL) or MSE. Memory is channels x bins longs,
 * whatever the number of samples; merging is exact (see {@link Histogram}).
 */
public final class HistogramObserver implements Observer {
    /** Default bin count. */
    public static final int DEFAULT_BINS = 2048;

    private final ChannelBinding binding;
    private final int bins;
    private final HistogramRange method;
    private Histogram[] histograms = new Histogram[0];

    private HistogramObserver(int axis, int bins, HistogramRange method) {
        if (method == null) throw new IllegalArgumentException("range method is null");
        new Histogram(bins); // validates the bin count early
        this.binding = new ChannelBinding(axis);
        this.bins = bins;
        this.method = method;
    }

    public static HistogramObserver perTensor(HistogramRange method, int bins) {
        return new HistogramObserver(ChannelBinding.PER_TENSOR, bins, method);
    }

    public static HistogramObserver perChannel(int axis, HistogramRange method, int bins) {
        return new HistogramObserver(axis, bins, method);
    }

    public static HistogramObserver percentile(double p) { return perTensor(new PercentileRange(p), DEFAULT_BINS); }

    public static HistogramObserver entropy() { return perTensor(new EntropyRange(), DEFAULT_BINS); }

    public static HistogramObserver mse() { return perTensor(new MseRange(), DEFAULT_BINS); }

    @Override public String name() {
        String kind = switch (method) {
            case PercentileRange p -> "Percentile(" + p.percentile() + ")";
            case EntropyRange e -> "Entropy";
            case MseRange m -> "Mse";
        };
        return "HistogramObserver[" + kind + "]" + (binding.perTensor() ? "" : "(axis " + binding.configuredAxis() + ")");
    }

    public HistogramRange method() { return method; }

    @Override public void observe(float[] batch, long[] shape) {
        ParamLayout l = binding.bind(name(), batch, shape);
        if (l.count() == 0) return;
        int ch = binding.channels();
        ensure(ch);
        float[][] mm = ChannelBinding.emptyMinMax(ch);
        float[] lo = mm[0], hi = mm[1];
        ChannelBinding.channelMinMax(l, batch, lo, hi);
        for (int d = 0; d < ch; d++) histograms[d].cover(lo[d], hi[d]);
        int idx = 0;
        for (int o = 0; o < l.outer(); o++) {
            for (int d = 0; d < l.dim(); d++) {
                Histogram h = histograms[d];
                for (int i = 0; i < l.inner(); i++, idx++) h.addCovered(batch[idx]);
            }
        }
    }

    private void ensure(int channels) {
        if (histograms.length == 0) {
            histograms = new Histogram[channels];
            for (int c = 0; c < channels; c++) histograms[c] = new Histogram(bins);
        }
    }

    @Override public void merge(Observer other) {
        if (!(other instanceof HistogramObserver o) || o.bins != bins || !o.method.equals(method)) {
            throw new IllegalArgumentException(name() + " (" + bins + " bins): cannot merge " + other.name());
        }
        binding.mergeFrom(name(), o.binding);
        if (o.histograms.length == 0) return;
        ensure(o.histograms.length);
        for (int c = 0; c < histograms.length; c++) histograms[c].merge(o.histograms[c]);
    }

    /** A copy of channel {@code c}'s histogram (channel 0 when per-tensor). */
    public Histogram histogram(int c) { return histograms[c].copy(); }

    @Override public ChannelRanges ranges(QuantSpec spec) {
        if (histograms.length == 0 || histograms[0].isEmpty()) throw new IllegalStateException(name() + ": no data observed");
        float[] mins = new float[histograms.length], maxs = new float[histograms.length];
        for (int c = 0; c < histograms.length; c++) {
            float[] r = method.select(histograms[c], spec);
            mins[c] = r[0];
            maxs[c] = r[1];
        }
        return new ChannelRanges(binding.resolvedAxis(), mins, maxs);
    }
}
