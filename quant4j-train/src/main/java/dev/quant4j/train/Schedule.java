package dev.quant4j.train;

/** Learning rate as a function of the step: linear warm-up, then cosine decay to a floor, or constant. */
@FunctionalInterface
public interface Schedule {
    double at(long step);

    static Schedule constant(double lr) { return s -> lr; }

    static Schedule warmupCosine(double peak, double floor, long warmup, long total) {
        return s -> {
            if (s < warmup) return peak * (s + 1) / warmup;
            double p = Math.min(1, (double) (s - warmup) / Math.max(1, total - warmup));
            return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * p));
        };
    }
}
