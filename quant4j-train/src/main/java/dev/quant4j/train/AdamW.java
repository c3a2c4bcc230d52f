package dev.quant4j.train;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction, and weight decay applied to
 * the weights directly (decoupled), skipped for the parameters named in {@code noDecay} (biases,
 * normalization scales, quantization scales).
 */
public final class AdamW implements Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final Set<String> noDecay;
    private final Map<String, float[]> m = new HashMap<>(), v = new HashMap<>();
    private final Map<String, Double> lrFactor = new HashMap<>();
    private long t;

    public AdamW(double beta1, double beta2, double eps, double weightDecay, Set<String> noDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.noDecay = noDecay;
    }

    public static AdamW defaults(double weightDecay, Set<String> noDecay) {
        return new AdamW(0.9, 0.999, 1e-8, weightDecay, noDecay);
    }

    /** Scales the learning rate of one parameter (LSQ step sizes learn slower than weights). */
    public AdamW lrFactor(String name, double factor) { lrFactor.put(name, factor); return this; }

    @Override
    public void step(Map<String, float[]> params, Map<String, float[]> grads, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        for (var e : grads.entrySet()) {
            String name = e.getKey();
            float[] w = params.get(name), g = e.getValue();
            float[] mm = m.computeIfAbsent(name, k -> new float[w.length]), vv = v.computeIfAbsent(name, k -> new float[w.length]);
            double plr = lr * lrFactor.getOrDefault(name, 1.0);
            double decay = noDecay.contains(name) ? 0 : plr * weightDecay;
            for (int i = 0; i < w.length; i++) {
                mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * g[i]);
                vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * g[i] * g[i]);
                double upd = (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + eps);
                w[i] = (float) (w[i] - decay * w[i] - plr * upd);
            }
        }
    }
}
