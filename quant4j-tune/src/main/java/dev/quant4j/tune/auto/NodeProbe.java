package dev.quant4j.tune.auto;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.ValueObserver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The real values around chosen nodes: one run of the float model in quant4j's runtime on real
 * inputs, keeping a copy of every input and output of those nodes, so that each node can later
 * run alone with the shapes and data it sees in the model.
 */
public final class NodeProbe {
    private NodeProbe() {}

    /** Values by name: the inputs and outputs of {@code nodes} (initializers excluded) on {@code feeds}. */
    public static Map<String, Tensor> capture(Model model, Set<String> nodes, Map<String, Tensor> feeds) {
        Set<String> wanted = new HashSet<>();
        for (String name : nodes) {
            Node n = model.graph().node(name);
            if (n == null) throw new IllegalArgumentException("no node named '" + name + "' in the model");
            for (String v : n.inputs()) if (!v.isEmpty() && !model.graph().initializers().containsKey(v)) wanted.add(v);
            for (String v : n.outputs()) if (!v.isEmpty()) wanted.add(v);
        }
        Map<String, Tensor> out = new HashMap<>();
        for (var e : feeds.entrySet()) if (wanted.contains(e.getKey())) out.put(e.getKey(), copy(e.getValue()));
        try (Session s = Session.create(model)) {
            s.run(feeds, new ValueObserver() {
                @Override public boolean wants(String valueName) { return wanted.contains(valueName); }
                @Override public void onValue(String valueName, Node producer, Tensor value) { out.put(valueName, copy(value)); }
            });
        }
        for (String v : wanted) if (!out.containsKey(v)) throw new IllegalStateException("value '" + v + "' was not produced by a run on the given inputs");
        return out;
    }

    /** A heap copy: the runtime may reuse or free the buffer of a value after the observer returns. */
    static Tensor copy(Tensor t) {
        if (t.dtype() == DataType.STRING) return Tensor.ofStringBytes(t.stringBytes(), t.shape());
        return Tensor.ofBytes(t.dtype(), t.bytes(), t.shape());
    }
}
