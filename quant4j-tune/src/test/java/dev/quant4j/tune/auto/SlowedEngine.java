package dev.quant4j.tune.auto;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.tune.Engine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * quant4j's runtime with a known cost added: every run of a model that holds a node matching
 * {@code slow} first burns {@code spinNanos} of the calling thread's CPU per such node. A stand-in
 * for a machine on which some forms are slow, so that the speed gate's verdicts are known in advance.
 */
record SlowedEngine(Predicate<Node> slow, long spinNanos) implements Engine {
    @Override public String name() { return "quant4j-slowed"; }

    @Override
    public Runner open(Model model) throws IOException {
        long n = model.graph().nodes().stream().filter(slow).count();
        Runner inner = Engine.quant4j().open(model);
        return new Runner() {
            @Override
            public Map<String, Tensor> run(Map<String, Tensor> feeds) {
                long end = System.nanoTime() + n * spinNanos;
                long x = 0;
                while (System.nanoTime() < end) x++;
                if (x == 42) Thread.onSpinWait();
                return inner.run(feeds);
            }
            @Override public List<String> inputNames() { return inner.inputNames(); }
            @Override public List<String> outputNames() { return inner.outputNames(); }
            @Override public void close() { inner.close(); }
        };
    }

    @Override
    public Runner open(byte[] onnx) { throw new UnsupportedOperationException("models only"); }
}
