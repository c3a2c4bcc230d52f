package dev.quant4j.runtime;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.runtime.fusion.QdqFusion;
import java.util.Map;

/**
 * Runs a model: prepared once (weights packed, operators chosen), then run many times.
 * The session does not own the model; close the model after the session.
 */
public final class Session implements AutoCloseable {
    private final GraphRunner main;

    private Session(GraphRunner main) { this.main = main; }

    public static Session create(Model model) {
        return create(model, SessionOptions.defaults());
    }

    public static Session create(Model model, SessionOptions options) {
        Graph g = model.graph();
        if (options.fuse()) g = QdqFusion.apply(g, model.onnxOpset()).graph();
        return new Session(new GraphRunner(g, model.opsets(), options, Scope.EMPTY));
    }

    /** The graph this session runs: the model's own, or a fused copy of it (see {@link SessionOptions#fuse()}). */
    public Graph graph() { return main.graph(); }

    /** Runs with the given inputs; returns the graph outputs by name, in declared order. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, ValueObserver.NONE);
    }

    /** Runs and shows every intermediate value the observer wants to it. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, ValueObserver observer) {
        for (ValueInfo in : main.graph().feedInputs()) {
            if (!feeds.containsKey(in.name())) throw new IllegalArgumentException("missing input '" + in.name() + "'");
        }
        for (String name : feeds.keySet()) {
            if (!main.graph().inputNames().contains(name)) throw new IllegalArgumentException("'" + name + "' is not an input of the model; inputs: " + main.graph().inputNames());
        }
        return main.run(feeds, Scope.EMPTY, observer);
    }

    @Override
    public void close() {}
}
