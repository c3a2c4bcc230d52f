package dev.quant4j.train;

import java.util.HashMap;
import java.util.Map;

/** SGD with (heavy-ball) momentum and L2 weight decay: v = μ·v + g + λ·w; w −= lr·v. */
public final class SgdMomentum implements Optimizer {
    private final double momentum, weightDecay;
    private final Map<String, float[]> velocity = new HashMap<>();

    public SgdMomentum(double momentum, double weightDecay) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, float[]> params, Map<String, float[]> grads, double lr) {
        for (var e : grads.entrySet()) {
            float[] w = params.get(e.getKey()), g = e.getValue();
            float[] v = velocity.computeIfAbsent(e.getKey(), k -> new float[w.length]);
            for (int i = 0; i < w.length; i++) {
                v[i] = (float) (momentum * v[i] + g[i] + weightDecay * w[i]);
                w[i] -= (float) (lr * v[i]);
            }
        }
    }
}
