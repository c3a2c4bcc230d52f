package dev.quant4j.quantize;

import dev.quant4j.core.calibration.Observer;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Streams a calibration data set through quant4j's runtime and feeds the chosen values to one
 * observer each (min/max, moving average, percentile, entropy, MSE: any {@link Observer}).
 * Memory stays bounded by the observers, not by the number of batches.
 */
public final class Calibrator {
    private final Map<String, Observer> observers = new HashMap<>();
    private final Session session;
    private final Set<String> values;

    /** @param values the value names to observe (graph inputs included) */
    public Calibrator(Model model, Set<String> values, Supplier<Observer> observer) {
        this.session = Session.create(model);
        this.values = Set.copyOf(values);
        for (String v : values) observers.put(v, observer.get());
    }

    /** Runs one batch and observes it. */
    public void observe(Map<String, Tensor> feeds) {
        for (var e : feeds.entrySet()) if (values.contains(e.getKey())) add(e.getKey(), e.getValue());
        session.run(feeds, new dev.quant4j.runtime.ValueObserver() {
            @Override public boolean wants(String valueName) { return values.contains(valueName); }
            @Override public void onValue(String valueName, Node producer, Tensor value) { add(valueName, value); }
        });
    }

    private void add(String name, Tensor t) {
        if (t.dtype() != dev.quant4j.core.DataType.FLOAT32) return;
        observers.get(name).observe(t.floats(), t.shape());
    }

    /** The observers, by value name (values never seen are absent). */
    public Map<String, Observer> observers() {
        Map<String, Observer> out = new HashMap<>();
        observers.forEach((k, o) -> { if (seen(o)) out.put(k, o); });
        return out;
    }

    private static boolean seen(Observer o) {
        try {
            o.ranges(dev.quant4j.core.quant.QuantSpec.affine(dev.quant4j.core.DataType.UINT8));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
