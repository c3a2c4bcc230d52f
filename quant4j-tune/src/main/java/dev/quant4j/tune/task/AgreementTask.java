package dev.quant4j.tune.task;

import dev.quant4j.eval.DistributionAgreement;
import dev.quant4j.eval.SampleStatistic;
import dev.quant4j.eval.TensorAgreement;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Metric;
import java.util.List;
import java.util.Map;

/**
 * For any model without labels: how closely one output agrees with the fp32 model's on the same
 * inputs — cosine similarity, SQNR, or, for outputs whose last axis holds a distribution (logits),
 * KL divergence and top-1 agreement per row.
 */
public final class AgreementTask<T> extends DataTask<T, float[]> {
    /** Which agreement is the metric. */
    public enum Kind {
        COSINE(new Metric("mean cosine to fp32", "cosine", true)),
        SQNR(new Metric("SQNR to fp32", "dB", true)),
        KL(new Metric("KL(fp32 || candidate) of softmax", "nats", false)),
        TOP1(new Metric("top-1 agreement with fp32", "fraction", true));

        final Metric metric;

        Kind(Metric m) { this.metric = m; }
    }

    private final String output;
    private final Kind kind;
    private int classes = -1;

    public AgreementTask(String name, EvalData<T> data, String output, Kind kind) {
        super(name, data);
        this.output = output;
        this.kind = kind;
    }

    @Override public Metric metric() { return kind.metric; }

    @Override
    public float[] reduce(int i, Map<String, Tensor> outputs) {
        Tensor t = output(outputs, output);
        if (t.rank() > 0) classes = (int) t.dim(-1);
        return t.floats();
    }

    @Override
    public SampleStatistic statistic(List<float[]> candidate, List<float[]> reference) {
        if (kind == Kind.SQNR && candidate == reference) return infinite(candidate.size()); // zero error: the pooled ratio would be 0/0
        if (kind == Kind.COSINE || kind == Kind.SQNR) {
            TensorAgreement a = new TensorAgreement();
            for (int i = 0; i < candidate.size(); i++) a.add(reference.get(i), candidate.get(i));
            return kind == Kind.COSINE ? a.cosineSimilarity() : a.sqnrDb();
        }
        if (classes < 1) throw new IllegalStateException("no output seen yet: run the task before asking for KL or top-1 agreement");
        DistributionAgreement d = DistributionAgreement.ofLogits();
        for (int i = 0; i < candidate.size(); i++) d.add(reference.get(i), candidate.get(i), classes);
        return kind == Kind.KL ? d.kl() : d.top1Agreement();
    }

    private static SampleStatistic infinite(int n) {
        return new SampleStatistic() {
            @Override public int size() { return n; }
            @Override public double evaluate(int[] counts) { return Double.POSITIVE_INFINITY; }
        };
    }

    @Override public AgreementTask<T> limit(int n) { return new AgreementTask<>(name, data.limit(n), output, kind); }
}
