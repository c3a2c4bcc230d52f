package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.ParamLayout;
import dev.quant4j.core.quant.QuantSpec;

/**
 * Exponential moving average of each batch's min and max: after batches {@code x1..xn} with
 * averaging constant {@code c}, {@code m = (1-c)^(n-1) x1 + sum_{k>=2} c (1-c)^(n-k) xk} (the first
 * batch initialises the average).
 *
 * <p>To merge in bounded memory, each channel keeps the first batch's value {@code x1}, the
 * average started from zero {@code w = sum_k c (1-c)^(n-k) xk} and the decay {@code d = (1-c)^n};
 * then {@code m = w + d x1}. Merging B after A gives {@code w = dB wA + wB}, {@code d = dA dB}, which is
 * exactly the average over A's batches followed by B's (equal to one pass up to float64 rounding).
 * Unlike min/max, the result depends on batch order, so {@link #merge} is ordered.
 */
public final class MovingAverageMinMaxObserver implements Observer {
    private final ChannelBinding binding;
    private final double c;
    private long batches;
    private double decay = 1;
    private double[] firstMin, firstMax, wMin, wMax;

    private MovingAverageMinMaxObserver(int axis, double averagingConstant) {
        if (!(averagingConstant > 0 && averagingConstant <= 1)) {
            throw new IllegalArgumentException("averaging constant must be in (0, 1], got " + averagingConstant);
        }
        this.binding = new ChannelBinding(axis);
        this.c = averagingConstant;
    }

    public static MovingAverageMinMaxObserver perTensor(double averagingConstant) {
        return new MovingAverageMinMaxObserver(ChannelBinding.PER_TENSOR, averagingConstant);
    }

    public static MovingAverageMinMaxObserver perChannel(int axis, double averagingConstant) {
        return new MovingAverageMinMaxObserver(axis, averagingConstant);
    }

    @Override public String name() {
        return "MovingAverageMinMaxObserver" + (binding.perTensor() ? "" : "(axis " + binding.configuredAxis() + ")");
    }

    @Override public void observe(float[] batch, long[] shape) {
        ParamLayout l = binding.bind(name(), batch, shape);
        if (l.count() == 0) return;
        int ch = binding.channels();
        float[][] mm = ChannelBinding.emptyMinMax(ch);
        float[] lo = mm[0], hi = mm[1];
        ChannelBinding.channelMinMax(l, batch, lo, hi);
        if (batches == 0) {
            firstMin = new double[ch]; firstMax = new double[ch];
            wMin = new double[ch]; wMax = new double[ch];
            for (int k = 0; k < ch; k++) { firstMin[k] = lo[k]; firstMax[k] = hi[k]; }
        }
        for (int k = 0; k < ch; k++) {
            wMin[k] = (1 - c) * wMin[k] + c * lo[k];
            wMax[k] = (1 - c) * wMax[k] + c * hi[k];
        }
        decay *= 1 - c;
        batches++;
    }

    @Override public void merge(Observer other) {
        if (!(other instanceof MovingAverageMinMaxObserver o) || o.c != c) {
            throw new IllegalArgumentException(name() + " (constant " + c + "): cannot merge " + other.name());
        }
        binding.mergeFrom(name(), o.binding);
        if (o.batches == 0) return;
        if (batches == 0) {
            firstMin = o.firstMin.clone(); firstMax = o.firstMax.clone();
            wMin = o.wMin.clone(); wMax = o.wMax.clone();
        } else {
            for (int k = 0; k < wMin.length; k++) {
                wMin[k] = o.decay * wMin[k] + o.wMin[k];
                wMax[k] = o.decay * wMax[k] + o.wMax[k];
            }
        }
        decay *= o.decay;
        batches += o.batches;
    }

    /** Number of non-empty batches observed (including merged ones). */
    public long batches() { return batches; }

    @Override public ChannelRanges ranges(QuantSpec spec) {
        if (batches == 0) throw new IllegalStateException(name() + ": no data observed");
        float[] mins = new float[wMin.length], maxs = new float[wMin.length];
        for (int k = 0; k < mins.length; k++) {
            mins[k] = (float) (wMin[k] + decay * firstMin[k]);
            maxs[k] = (float) (wMax[k] + decay * firstMax[k]);
            if (mins[k] > maxs[k]) mins[k] = maxs[k]; // only by rounding; keeps the range valid
        }
        return new ChannelRanges(binding.resolvedAxis(), mins, maxs);
    }
}
