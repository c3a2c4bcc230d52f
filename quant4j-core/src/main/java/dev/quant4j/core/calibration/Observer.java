package dev.quant4j.core.calibration;

import dev.quant4j.core.quant.ParamLayout;
import dev.quant4j.core.quant.ParamsFromRange;
import dev.quant4j.core.quant.QuantParams;
import dev.quant4j.core.quant.QuantSpec;

/**
 * Collects statistics of one tensor over streamed batches and turns them into a quantization range.
 *
 * <p>Every observer is bounded (its memory does not grow with the number of batches or samples)
 * and mergeable: observing the halves of a data set in two observers and merging them gives what
 * one observer computes over all of it (exactly for min/max and the histograms; up to float64
 * rounding for the moving average, whose merge treats the other observer's batches as coming
 * after this one's). That lets calibration run in parallel and in pieces.
 *
 * <p>A per-channel observer keeps separate statistics for every index along its channel axis
 * (negative axes count from the end); every batch must then have the same rank and channel count.
 * NaN or Inf in a batch is rejected with an exception naming the observer, and leaves it unchanged.
 */
public interface Observer {

    /** Adds one batch of {@code shape}. */
    void observe(float[] batch, long[] shape);

    default void observe(float[] batch, int[] shape) {
        observe(batch, ParamLayout.toLong(shape));
    }

    /**
     * Adds everything {@code other} has observed. It must be the same kind of observer with the same
     * settings; {@code other} is not changed.
     */
    void merge(Observer other);

    /**
     * The range per channel (one entry when per-tensor) this observer recommends for quantizing to
     * {@code spec}; simple observers ignore the spec, search-based ones (entropy, MSE) need it.
     * Throws if nothing was observed.
     */
    ChannelRanges ranges(QuantSpec spec);

    /** Quantization parameters for {@code spec} from {@link #ranges}. */
    default QuantParams params(QuantSpec spec) {
        ChannelRanges r = ranges(spec);
        if (!r.perChannel()) return ParamsFromRange.perTensor(spec, r.min(0), r.max(0));
        return ParamsFromRange.perChannel(spec, r.axis(), r.mins(), r.maxs());
    }

    /** Short name used in error messages, e.g. {@code "MinMaxObserver(axis 1)"}. */
    String name();
}
