package dev.quant4j.tune.task;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.Distributions;
import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Metric;
import java.util.List;
import java.util.Map;

/** Top-1 accuracy of a classifier on labelled samples: the arg-max of one output against the label. */
public final class ClassificationTask extends DataTask<Sample, Integer> {
    private static final Metric TOP1 = new Metric("top-1 accuracy", "fraction", true);
    private final String output;

    /** @param output the model output holding the class scores (logits or probabilities) of one sample */
    public ClassificationTask(String name, EvalData<Sample> data, String output) {
        super(name, data);
        this.output = output;
    }

    @Override public Metric metric() { return TOP1; }

    /** The predicted class. */
    @Override
    public Integer reduce(int i, Map<String, Tensor> outputs) {
        float[] s = output(outputs, output).floats();
        return Distributions.argmax(s, 0, s.length);
    }

    @Override
    public SampleStatistic statistic(List<Integer> candidate, List<Integer> reference) {
        double[] hit = new double[candidate.size()];
        for (int i = 0; i < hit.length; i++) {
            Sample s = data.item(i);
            if (!s.hasLabel()) throw new IllegalArgumentException("sample " + data.baseIndex(i) + " of " + data.name() + " has no label");
            hit[i] = candidate.get(i) == s.label() ? 1 : 0;
        }
        return SampleStatistic.mean(hit);
    }

    @Override public ClassificationTask limit(int n) { return new ClassificationTask(name, data.limit(n), output); }
}
