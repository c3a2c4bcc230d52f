package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.ParamLayout;
import dev.quant4j.core.quant.QuantSpec;

/** Running minimum and maximum, per tensor or per channel. Merging is exact. */
public final class MinMaxObserver implements Observer {
    private final ChannelBinding binding;
    private float[] mins = new float[0];
    private float[] maxs = new float[0];

    private MinMaxObserver(int axis) {
        this.binding = new ChannelBinding(axis);
    }

    public static MinMaxObserver perTensor() { return new MinMaxObserver(ChannelBinding.PER_TENSOR); }

    /** Per channel along {@code axis} (negative counts from the end). */
    public static MinMaxObserver perChannel(int axis) { return new MinMaxObserver(axis); }

    @Override public String name() {
        return "MinMaxObserver" + (binding.perTensor() ? "" : "(axis " + binding.configuredAxis() + ")");
    }

    @Override public void observe(float[] batch, long[] shape) {
        ParamLayout l = binding.bind(name(), batch, shape);
        if (l.count() == 0) return;
        ensure(binding.channels());
        ChannelBinding.channelMinMax(l, batch, mins, maxs);
    }

    private void ensure(int channels) {
        if (mins.length == 0) {
            float[][] mm = ChannelBinding.emptyMinMax(channels);
            mins = mm[0];
            maxs = mm[1];
        }
    }

    @Override public void merge(Observer other) {
        if (!(other instanceof MinMaxObserver o)) {
            throw new IllegalArgumentException(name() + ": cannot merge " + other.name());
        }
        binding.mergeFrom(name(), o.binding);
        if (o.mins.length == 0) return;
        ensure(o.mins.length);
        for (int c = 0; c < mins.length; c++) {
            mins[c] = Math.min(mins[c], o.mins[c]);
            maxs[c] = Math.max(maxs[c], o.maxs[c]);
        }
    }

    /** True once a non-empty batch was observed. */
    public boolean hasData() { return mins.length > 0; }

    @Override public ChannelRanges ranges(QuantSpec spec) {
        if (!hasData()) throw new IllegalStateException(name() + ": no data observed");
        return new ChannelRanges(binding.resolvedAxis(), mins, maxs);
    }
}
