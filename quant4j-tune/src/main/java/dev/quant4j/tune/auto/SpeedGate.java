package dev.quant4j.tune.auto;

import dev.quant4j.graph.Model;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps float where quantization does not pay off in speed, by measuring on this machine: each
 * layer's quantized form against its float form (a one-node model with the layer's real shapes,
 * {@link LayerForms}), interleaved runs, median and spread, thread CPU time next to wall time.
 * The same side-by-side timing compares whole models before and after; a model is only called
 * faster when it was measured to be.
 *
 * <p>Timings compare thread CPU time, which counts all the work only when the engine runs on the
 * calling thread: open engines with one thread (ONNX Runtime intra-op threads = 1; quant4j's
 * runtime with a one-thread kernel pool).
 */
public final class SpeedGate {
    /**
     * @param threshold quantized/float median ratio below which quantization pays off (0.95: at least 5% faster)
     */
    public record Settings(int warmupRounds, int rounds, double threshold) {
        public Settings {
            if (rounds < 3) throw new IllegalArgumentException("need at least 3 timed rounds for a median and spread, got " + rounds);
            if (!(threshold > 0 && threshold <= 1)) throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }

        public static Settings defaults() { return new Settings(3, 15, 0.95); }
    }

    /** The timings of every layer form, per node and precision. */
    public record Result(String engine, double threshold, List<LayerTiming> timings) {
        public Optional<LayerTiming> timing(String node, Precision p) {
            return timings.stream().filter(t -> t.node().equals(node) && t.precision() == p).findFirst();
        }
    }

    /** Whole-model latency before and after, measured side by side. */
    public record ModelSpeed(String engine, Latency before, Latency after, double ratio, boolean faster, String verdict) {}

    private SpeedGate() {}

    /** Times every built form against its float form on {@code engine}. */
    public static Result time(List<LayerForms.Form> forms, Engine engine, Settings s) {
        List<LayerTiming> out = new ArrayList<>();
        for (LayerForms.Form f : forms) out.add(time(f, engine, s));
        return new Result(engine.name(), s.threshold(), List.copyOf(out));
    }

    static LayerTiming time(LayerForms.Form f, Engine engine, Settings s) {
        LayerLadder l = f.layer();
        if (!f.built()) return new LayerTiming(l.node(), l.opType(), f.precision(), engine.name(), null, null, Double.NaN, false, f.problem());
        Map<String, Tensor> feeds = f.floatForm().feeds();
        try (Engine.Runner a = engine.open(f.floatForm().model()); Engine.Runner b = engine.open(f.quantized())) {
            List<Latency> t = SideBySide.time(List.of(() -> a.run(feeds), () -> b.run(feeds)), s.warmupRounds(), s.rounds());
            return verdict(l, f.precision(), engine.name(), t.get(0), t.get(1), s.threshold());
        } catch (Exception | LinkageError e) {
            return new LayerTiming(l.node(), l.opType(), f.precision(), engine.name(), null, null, Double.NaN, false,
                    engine.name() + " could not run the " + f.precision().id() + " form: " + e.getMessage());
        }
    }

    static LayerTiming verdict(LayerLadder l, Precision p, String engine, Latency fp, Latency q, double threshold) {
        double ratio = q.medianMs() / fp.medianMs();
        boolean pays = ratio < threshold;
        String clock = q.hasCpuTime() && fp.hasCpuTime() ? "thread CPU" : "wall";
        String why = String.format(Locale.ROOT, "%s %s median %.4f ms vs fp32 %.4f ms (x%.3f, wall x%.3f) on %s: %s", p.id(), clock,
                q.medianMs(), fp.medianMs(), ratio, q.medianWallMs() / fp.medianWallMs(), engine,
                pays ? "pays off" : "does not pay off (threshold x" + threshold + "), keep float for speed");
        return new LayerTiming(l.node(), l.opType(), p, engine, fp, q, ratio, pays, why);
    }

    /** Times {@code before} and {@code after} side by side on the same feeds. */
    public static ModelSpeed compare(Model before, Model after, Map<String, Tensor> feeds, Engine engine, Settings s) throws Exception {
        try (Engine.Runner a = engine.open(before); Engine.Runner b = engine.open(after)) {
            List<Latency> t = SideBySide.time(List.of(() -> a.run(feeds), () -> b.run(feeds)), s.warmupRounds(), s.rounds());
            Latency x = t.get(0), y = t.get(1);
            double ratio = y.medianMs() / x.medianMs();
            boolean faster = ratio < s.threshold();
            String v = faster ? "faster" : ratio > 1 / s.threshold() ? "slower" : "no measurable difference";
            return new ModelSpeed(engine.name(), x, y, ratio, faster, String.format(Locale.ROOT,
                    "after/before x%.3f (%s median; wall x%.3f) on %s: %s", ratio, y.hasCpuTime() ? "thread CPU" : "wall",
                    y.medianWallMs() / x.medianWallMs(), engine.name(), v));
        }
    }
}
