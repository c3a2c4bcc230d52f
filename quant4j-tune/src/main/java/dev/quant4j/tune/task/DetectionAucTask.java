package dev.quant4j.tune.task;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.RocAuc;
import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Metric;
import java.util.List;
import java.util.Map;

/**
 * ROC AUC of a detector's image-level score on positives (label 1) and negatives (label 0). The
 * score is the largest sigmoid over the given score-logit outputs (for BlazeFace: both anchor
 * grids), i.e. the confidence of the most confident detection.
 */
public final class DetectionAucTask extends DataTask<Sample, Double> {
    private static final Metric AUC = new Metric("detection ROC AUC", "probability", true);
    private final List<String> scoreOutputs;

    public DetectionAucTask(String name, EvalData<Sample> data, List<String> scoreOutputs) {
        super(name, data);
        this.scoreOutputs = List.copyOf(scoreOutputs);
    }

    @Override public Metric metric() { return AUC; }

    @Override
    public Double reduce(int i, Map<String, Tensor> outputs) {
        double best = Double.NEGATIVE_INFINITY;
        for (String o : scoreOutputs) for (float v : output(outputs, o).floats()) best = Math.max(best, v);
        return 1 / (1 + Math.exp(-best));
    }

    @Override
    public SampleStatistic statistic(List<Double> candidate, List<Double> reference) {
        double[] s = new double[candidate.size()];
        boolean[] pos = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = candidate.get(i);
            int label = data.item(i).label();
            if (label != 0 && label != 1) throw new IllegalArgumentException("sample " + data.baseIndex(i) + " of " + data.name() + " has label " + label + ", not 0/1");
            pos[i] = label == 1;
        }
        return new RocAuc(s, pos);
    }

    @Override public DetectionAucTask limit(int n) { return new DetectionAucTask(name, data.limit(n), scoreOutputs); }
}
