package dev.quant4j.runtime;

import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;

/**
 * Sees intermediate tensors during a run: calibration observes activation ranges, debugging
 * compares values, sensitivity analysis records outputs. Called on the running thread right after
 * {@code producer} computed {@code value}; the tensor must not be modified, and must be copied if
 * it is kept beyond the call.
 */
public interface ValueObserver {

    /** Whether {@link #onValue} should be called for this value (lets a run skip the rest). */
    default boolean wants(String valueName) { return true; }

    void onValue(String valueName, Node producer, Tensor value);

    ValueObserver NONE = new ValueObserver() {
        @Override public boolean wants(String valueName) { return false; }
        @Override public void onValue(String valueName, Node producer, Tensor value) {}
    };
}
