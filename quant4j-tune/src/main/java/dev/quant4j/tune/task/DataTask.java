package dev.quant4j.tune.task;

import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Task;
import java.util.Map;

/** What every task over {@link EvalData} shares: its name, its samples and their feeds. */
abstract class DataTask<T, R> implements Task<R> {
    final String name;
    final EvalData<T> data;

    DataTask(String name, EvalData<T> data) {
        this.name = name;
        this.data = data;
    }

    @Override public String name() { return name; }

    @Override public int size() { return data.size(); }

    @Override public Map<String, Tensor> feeds(int i) { return data.feeds(i); }

    public EvalData<T> data() { return data; }

    /** The output {@code name}, or a clear error naming what the model does give. */
    static Tensor output(Map<String, Tensor> outputs, String name) {
        Tensor t = outputs.get(name);
        if (t == null) throw new IllegalArgumentException("the model has no output '" + name + "'; outputs: " + outputs.keySet());
        return t;
    }
}
