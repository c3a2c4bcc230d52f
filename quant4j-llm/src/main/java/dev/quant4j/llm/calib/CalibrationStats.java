package dev.quant4j.llm.calib;

import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.model.Parallel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Input statistics of every linear layer of a model, keyed by the matrix name, gathered by running
 * the model on calibration token sequences. Mergeable across batches.
 */
public final class CalibrationStats {
    private final Map<String, ActivationStats> byMatrix = new LinkedHashMap<>();
    private final boolean hessian;

    public CalibrationStats(boolean hessian) { this.hessian = hessian; }

    /**
     * Runs {@code model} over every sequence (each from position 0) and records each linear layer's
     * inputs; with several threads, sequences run at once into separate statistics that are merged.
     */
    public static CalibrationStats collect(LlamaModel model, List<int[]> sequences, boolean hessian, int threads) {
        CalibrationStats[] parts = new CalibrationStats[sequences.size()];
        Parallel.forEach(sequences.size(), threads, k -> {
            CalibrationStats s = new CalibrationStats(hessian);
            Forward f = new Forward(model, 1);
            f.setObserver(s::observe);
            int[] seq = sequences.get(k);
            for (int i = 0; i < seq.length; i++) f.forward(seq[i], i);
            parts[k] = s;
        });
        CalibrationStats all = new CalibrationStats(hessian);
        for (CalibrationStats p : parts) all.merge(p); // in sequence order, so the sums do not depend on threads
        return all;
    }

    void observe(String matrix, float[] x, int off, int len) {
        byMatrix.computeIfAbsent(matrix, k -> new ActivationStats(len, hessian)).add(x, off, len);
    }

    public void merge(CalibrationStats other) {
        other.byMatrix.forEach((k, v) -> byMatrix.merge(k, v, (a, b) -> { a.merge(b); return a; }));
    }

    /** The statistics of {@code matrix}'s input, or null when it was never observed (the token embedding). */
    public ActivationStats get(String matrix) { return byMatrix.get(matrix); }

    public Map<String, ActivationStats> all() { return Collections.unmodifiableMap(byMatrix); }
}
