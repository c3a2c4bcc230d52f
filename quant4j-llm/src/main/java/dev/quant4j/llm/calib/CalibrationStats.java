package dev.quant4j.llm.calib;

import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaModel;
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

    /** Runs {@code model} over every sequence (each from position 0) and records each linear layer's inputs. */
    public static CalibrationStats collect(LlamaModel model, List<int[]> sequences, boolean hessian, int threads) {
        CalibrationStats s = new CalibrationStats(hessian);
        for (int[] seq : sequences) {
            Forward f = new Forward(model, threads);
            f.setObserver(s::observe);
            for (int i = 0; i < seq.length; i++) f.forward(seq[i], i);
        }
        return s;
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
