package dev.quant4j.tune.task;

import dev.quant4j.data.Sample;
import dev.quant4j.eval.CtcGreedyDecoder;
import dev.quant4j.eval.ErrorRate;
import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Metric;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Character error rate of a CTC text recognizer: greedy decoding of its [1, T, classes] output,
 * pooled edit distance against each sample's exact text (rendered lines know their string).
 */
public final class CtcRecognitionTask extends DataTask<Sample, String> {
    private static final Metric CER = new Metric("CER", "fraction of characters", false);
    private final String output;
    private final CtcGreedyDecoder decoder;
    private final IntFunction<String> symbol;

    /** @param symbol the text of each class id (the blank is never asked for) */
    public CtcRecognitionTask(String name, EvalData<Sample> data, String output, int blank, IntFunction<String> symbol) {
        super(name, data);
        this.output = output;
        this.decoder = new CtcGreedyDecoder(blank);
        this.symbol = symbol;
    }

    @Override public Metric metric() { return CER; }

    /** The decoded text. */
    @Override
    public String reduce(int i, Map<String, Tensor> outputs) {
        Tensor y = output(outputs, output);
        if (y.rank() != 3 || y.dim(0) != 1) throw new IllegalArgumentException("CTC output '" + output + "' must be [1, T, classes], got " + java.util.Arrays.toString(y.shape()));
        return decoder.decodeText(y.floats(), (int) y.dim(1), (int) y.dim(2), symbol);
    }

    @Override
    public SampleStatistic statistic(List<String> candidate, List<String> reference) {
        ErrorRate cer = ErrorRate.characters();
        for (int i = 0; i < candidate.size(); i++) {
            String truth = data.item(i).text();
            if (truth == null) throw new IllegalArgumentException("sample " + data.baseIndex(i) + " of " + data.name() + " has no text");
            cer.add(truth, candidate.get(i));
        }
        return cer.statistic();
    }

    @Override public CtcRecognitionTask limit(int n) { return new CtcRecognitionTask(name, data.limit(n), output, decoder.blank(), symbol); }
}
