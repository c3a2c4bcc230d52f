package dev.quant4j.cli;

import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Task;
import dev.quant4j.tune.task.AgreementTask;
import dev.quant4j.tune.task.ClassificationTask;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;

/**
 * Turns a data file into quant4j-tune's evaluation data and task: top-1 accuracy when the samples
 * are labelled, otherwise the agreement of one output with the reference model's (cosine, SQNR, KL
 * of the softmax, top-1 agreement).
 */
final class EvalSetup {
    /** {@code --task}. */
    enum TaskKind {
        CLASSIFICATION, COSINE, SQNR, KL, TOP1_AGREEMENT;

        String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        boolean needsLabels() { return this == CLASSIFICATION; }

        static final class Converter implements ITypeConverter<TaskKind> {
            @Override
            public TaskKind convert(String v) {
                for (TaskKind k : values()) if (k.id().equalsIgnoreCase(v) || k.name().equalsIgnoreCase(v)) return k;
                throw new IllegalArgumentException("task must be one of " + java.util.Arrays.stream(values()).map(TaskKind::id).toList() + ", got " + v);
            }
        }
    }

    private EvalSetup() {}

    /** The task the data allows when none is named: classification with labels, else cosine agreement. */
    static TaskKind defaultKind(SampleData d) { return d.hasLabels() ? TaskKind.CLASSIFICATION : TaskKind.COSINE; }

    /** @param output the model output the task reads, or null for the model's first output */
    static Task<?> task(TaskKind kind, SampleData d, Model model, String output) {
        String out = output != null ? output : model.graph().outputNames().getFirst();
        if (!model.graph().outputNames().contains(out))
            throw new IllegalArgumentException("the model has no output '" + out + "'; its outputs are " + model.graph().outputNames());
        String name = model.graph().name() == null || model.graph().name().isEmpty() ? "model" : model.graph().name();
        if (kind == TaskKind.CLASSIFICATION) {
            if (!d.hasLabels()) throw new IllegalArgumentException("classification needs labels: give --labels FILE, or an NPZ with a 'labels' array");
            return new ClassificationTask(name + " top-1 on " + d.name(), samples(d, model), out);
        }
        EvalData<Integer> rows = indices(d);
        AgreementTask.Kind k = switch (kind) {
            case COSINE -> AgreementTask.Kind.COSINE;
            case SQNR -> AgreementTask.Kind.SQNR;
            case KL -> AgreementTask.Kind.KL;
            default -> AgreementTask.Kind.TOP1;
        };
        return new AgreementTask<>(name + " " + kind.id() + " on " + d.name(), rows, out, k);
    }

    /** Labelled samples of a single-input model, fed one at a time. */
    static EvalData<Sample> samples(SampleData d, Model model) {
        if (model.graph().feedInputs().size() != 1)
            throw new IllegalArgumentException("classification here feeds single-input models; this one has " + model.graph().feedInputs().size() + " inputs");
        String input = model.graph().feedInputs().getFirst().name();
        int[] labels = d.labels();
        Dataset<Sample> items = new Dataset<>() {
            @Override public int size() { return d.size(); }
            @Override public Sample get(int i) {
                Tensor t = d.batch(i, i + 1).get(input);
                long[] s = t.shape();
                return new Sample(t.floats(), java.util.Arrays.copyOfRange(s, 1, s.length), labels[i]);
            }
            @Override public String name() { return d.name(); }
        };
        return EvalData.of(items, s -> {
            long[] shape = new long[s.shape().length + 1];
            shape[0] = 1;
            System.arraycopy(s.shape(), 0, shape, 1, s.shape().length);
            return Map.of(input, Tensor.of(s.data(), shape));
        });
    }

    /** Any samples, fed one at a time by index. */
    static EvalData<Integer> indices(SampleData d) {
        Dataset<Integer> items = new Dataset<>() {
            @Override public int size() { return d.size(); }
            @Override public Integer get(int i) { return i; }
            @Override public String name() { return d.name(); }
        };
        return EvalData.of(items, i -> d.batch(i, i + 1));
    }
}
