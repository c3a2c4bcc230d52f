package dev.quant4j.train;

import java.util.Map;

/** Updates parameters in place from their gradients; keeps its own per-parameter state. */
public interface Optimizer {
    void step(Map<String, float[]> params, Map<String, float[]> grads, double lr);
}
