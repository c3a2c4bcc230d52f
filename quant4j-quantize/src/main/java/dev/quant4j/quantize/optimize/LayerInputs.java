package dev.quant4j.quantize.optimize;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.ValueObserver;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Streams calibration batches through quant4j's runtime on the float model and hands the chosen
 * values (layer inputs) to a {@link Sink}, one batch at a time: nothing is kept between batches
 * except what the sink accumulates.
 */
public final class LayerInputs implements AutoCloseable {
    /** Receives one value of one batch; {@code rowMask} marks the rows (last axis = one row) that count, or is null. */
    @FunctionalInterface
    public interface Sink {
        void accept(String value, Tensor t, boolean[] rowMask);
    }

    private final Session session;
    private final Set<String> values;
    private final Function<Map<String, Tensor>, boolean[]> rowMask;

    /**
     * @param rowMask per batch, which rows of a [.., width] value are real data (e.g. not padding
     *        tokens); null when every row counts
     */
    public LayerInputs(Model model, Set<String> values, Function<Map<String, Tensor>, boolean[]> rowMask) {
        this.session = Session.create(model);
        this.values = Set.copyOf(values);
        this.rowMask = rowMask;
    }

    /** Runs one batch, passing every requested float value to {@code sink}. */
    public void observe(Map<String, Tensor> feeds, Sink sink) {
        boolean[] mask = rowMask == null ? null : rowMask.apply(feeds);
        for (var e : feeds.entrySet()) if (values.contains(e.getKey()) && e.getValue().dtype() == DataType.FLOAT32) sink.accept(e.getKey(), e.getValue(), mask);
        session.run(feeds, new ValueObserver() {
            @Override public boolean wants(String valueName) { return values.contains(valueName); }
            @Override public void onValue(String valueName, Node producer, Tensor value) {
                if (value.dtype() == DataType.FLOAT32) sink.accept(valueName, value, mask);
            }
        });
    }

    /** A row mask from a [batch, length] int64 attention mask feed (1 = token, 0 = padding). */
    public static Function<Map<String, Tensor>, boolean[]> attentionMask(String feed) {
        return feeds -> {
            Tensor m = feeds.get(feed);
            if (m == null) throw new IllegalArgumentException("no feed '" + feed + "' for the row mask");
            long[] v = m.longs();
            boolean[] out = new boolean[v.length];
            for (int i = 0; i < v.length; i++) out[i] = v[i] != 0;
            return out;
        };
    }

    @Override
    public void close() { session.close(); }
}
