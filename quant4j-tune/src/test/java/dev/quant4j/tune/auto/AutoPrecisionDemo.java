package dev.quant4j.tune.auto;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.onnx.OnnxWriter;
import dev.quant4j.quantize.Precision;
import dev.quant4j.tune.Engine;
import dev.quant4j.tune.EvalData;
import dev.quant4j.tune.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Automatic precision on a real model, end to end: sensitivity, speed gate, search, deployability,
 * whole-model latency before/after side by side, provenance written and read back.
 *
 * <pre>
 *   java ... dev.quant4j.tune.auto.AutoPrecisionDemo ppocr|minilm|blazeface quant4j|onnxruntime smallest|fastest [held-out samples] [budget] [sensitivity samples]
 * </pre>
 * Engines run with one thread, so thread CPU time counts all the work. Long: tens of minutes per model on a shared 2-core machine.
 */
public final class AutoPrecisionDemo {
    private AutoPrecisionDemo() {}

    /** A model, its task and the search's settings. */
    record Case<R>(String name, Path model, EvalData<?> calibration, Task<R> task, List<Precision> ladder, MetricBound bound) {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "ppocr";
        Engine engine = args.length > 1 && args[1].equals("onnxruntime") ? Engine.onnxRuntime(1) : Engine.quant4j(1);
        Objective objective = args.length > 2 && args[2].equals("fastest") ? Objective.FASTEST : Objective.SMALLEST;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int budget = args.length > 4 ? Integer.parseInt(args[4]) : 24, sensitivity = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        Path tmp = Files.createTempDirectory("auto-precision-demo");
        run(DemoCases.of(which, n, tmp), engine, objective, budget, sensitivity, tmp);
    }

    static <R> SearchResult run(Case<R> c, Engine engine, Objective objective, int budget, int sensitivity, Path tmp) throws Exception {
        long t0 = System.nanoTime();
        System.out.printf("== %s on %s, objective %s, bound %s, %d held-out samples, %d calibration%n",
                c.name(), engine.name(), objective, c.bound(), c.task().size(), c.calibration().size());
        AutoQuantizer.Settings s = new AutoQuantizer.Settings(c.bound(), objective, c.ladder(), budget, sensitivity, new SpeedGate.Settings(2, 9, 0.95), false, 2026);
        try (Model fp32 = OnnxReader.read(c.model());
             AutoQuantizer.Outcome o = AutoQuantizer.run(fp32, c.calibration().feedsIterable(), c.calibration().name(), c.task(), engine, s,
                     m -> System.out.printf("[%6.1f s] %s%n", secs(t0), m))) {
            System.out.println(o.sensitivity() == null ? "(no sensitivity)" : o.sensitivity().format(8));
            o.gate().timings().stream().sorted(java.util.Comparator.comparingDouble(LayerTiming::ratio)).limit(4)
                    .forEach(t -> System.out.println("  gate, fastest: " + t.node() + " " + t.reason()));
            SearchResult r = o.search();
            System.out.print(r.table());
            o.notes().stream().limit(12).forEach(x -> System.out.println("note: " + x));
            Map<String, Long> count = new java.util.TreeMap<>();
            r.plan().values().forEach(p -> count.merge(p.id(), 1L, Long::sum));
            System.out.printf("chosen (step %d): %s%n", r.best(), count);
            long runs = o.deployability().stream().filter(Deployability.Row::runs).count();
            long fast = o.deployability().stream().filter(x -> Boolean.TRUE.equals(x.fast())).count();
            System.out.printf("deployability on %s: %d of %d quantized nodes run, %d measured fast; whole model: %s%n", engine.name(), runs,
                    o.deployability().size(), fast, o.wholeModelFailure() == null ? "runs" : o.wholeModelFailure());
            System.out.print(Deployability.table(o.deployability().stream().limit(6).toList()));
            if (o.speed() != null) System.out.printf("latency fp32   %s%n        chosen %s%n        %s%n", o.speed().before(), o.speed().after(), o.speed().verdict());
            System.out.printf("size %d -> %d bytes (x%.3f); metric %s; drop %s%n", o.bytesBefore(), o.bytesAfter(), (double) o.bytesAfter() / o.bytesBefore(),
                    r.chosen().metric(), r.chosen().drop());
            Path out = tmp.resolve(c.name().replaceAll("\\W+", "_") + "-auto.onnx");
            OnnxWriter.write(o.model(), out);
            try (Model back = OnnxReader.read(out)) {
                Provenance q = Provenance.readFrom(back).orElseThrow();
                System.out.printf("wrote %s (%d bytes with provenance); read back: %d tensor records, calibration sha256 %s, equal: %s%n",
                        out, Files.size(out), q.tensors().size(), q.calibration().sha256(), q.equals(o.provenance()));
            }
            Files.writeString(tmp.resolve("search.json"), r.toJson());
            System.out.printf("total %.1f s%n", secs(t0));
            return r;
        }
    }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }
}
