package dev.quant4j.cli;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quant4j bench MODEL [MODEL2]}: size, latency percentiles, throughput and memory, two models side by side in one run. */
@Command(name = "bench", description = {"Time one or two models side by side: size, latency percentiles, throughput, memory.",
        "Interleaved runs on one engine: latency p50/p90/p99 (wall) and median thread CPU time, throughput, heap allocated per run and the runtime's JVM-visible native memory; ratios to the first model."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..2", paramLabel = "MODEL.onnx", description = "One model, or two to compare (the first is the baseline).")
    List<Path> models;

    @Option(names = "--engine", defaultValue = "quant4j", converter = EngineChoice.Converter.class, paramLabel = "quant4j|ort",
            description = "The engine (default: ${DEFAULT-VALUE}).")
    EngineChoice engine;

    @Option(names = "--threads", defaultValue = "1", description = "Engine threads (default: ${DEFAULT-VALUE}, so thread CPU time counts all the work).")
    int threads;

    @Option(names = "--batch", defaultValue = "1", description = "Samples per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed runs per model first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "100", description = "Timed runs per model (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--data", paramLabel = "DATA", description = "Take the inputs from this data (its first --batch samples) instead of random values: FILE.npy, FILE.npz, IDX, a folder of images, or builtin:fashion.")
    String dataSpec;

    @Option(names = "--scale", paramLabel = "X", converter = DataOptions.Fraction.class,
            description = "Multiply float values from --data by X, e.g. 1/255 (default: 1); for a folder of images, the pixel scale (default: 1/255).")
    Float scale;

    @picocli.CommandLine.Mixin
    ImageOptions images;

    @Option(names = "--json", description = "Print the rows as JSON.")
    boolean json;

    record Report(String engine, int threads, String inputs, List<ModelBench.Row> rows, List<Ratio> ratios, long processPeakRssBytes) {}

    /** Second model over first: below 1 means smaller or faster. */
    record Ratio(String model, String baseline, double size, double p50Wall, double p50Cpu) {}

    @Override
    public Integer call() throws Exception {
        if (models.size() > 2) throw new CommandLine.ParameterException(spec.commandLine(), "bench compares at most two models; got " + models.size());
        if (runs < 1 || warmup < 0 || batch < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--runs and --batch must be >= 1, --warmup >= 0");
        List<Model> open = new ArrayList<>();
        try {
            List<ModelBench.Subject> subjects = new ArrayList<>();
            for (Path p : models) {
                Model m = OnnxReader.read(p);
                open.add(m);
                subjects.add(new ModelBench.Subject(p.getFileName().toString(), m, Files.size(p)));
            }
            Map<String, Tensor> feeds;
            String inputs;
            if (dataSpec != null) {
                SampleData d = SampleData.open(dataSpec, null, scale, images, open.getFirst(), Integer.MAX_VALUE);
                if (d.size() < batch) throw new CommandLine.ParameterException(spec.commandLine(), "--batch " + batch + " but the data holds " + d.size() + " samples");
                feeds = d.batch(0, batch);
                inputs = "first " + batch + " samples of " + d.name();
            } else {
                feeds = randomFeeds(open.getFirst(), batch, 7);
                inputs = "random values, batch " + batch;
            }
            for (int i = 1; i < open.size(); i++)
                if (!open.get(i).graph().inputNames().containsAll(feeds.keySet()))
                    throw new BadInputException(models.get(i), "its inputs " + open.get(i).graph().inputNames() + " differ from " + models.getFirst() + "'s " + feeds.keySet());
            List<ModelBench.Row> rows = ModelBench.run(subjects, engine.engine(threads), feeds, batch, warmup, runs);
            Report r = new Report(engine.id(), threads, inputs, rows, ratios(rows), ModelBench.processPeakRss());
            if (json) System.out.println(Json.write(r));
            else print(r);
        } finally {
            for (Model m : open) m.close();
        }
        return Quant4j.OK;
    }

    static List<Ratio> ratios(List<ModelBench.Row> rows) {
        List<Ratio> out = new ArrayList<>();
        ModelBench.Row base = rows.getFirst();
        for (ModelBench.Row x : rows.subList(1, rows.size()))
            out.add(new Ratio(x.model(), base.model(), (double) x.fileBytes() / base.fileBytes(), x.p50Ms() / base.p50Ms(), x.cpuP50Ms() / base.cpuP50Ms()));
        return out;
    }

    static void print(Report r) {
        System.out.printf(Locale.ROOT, "engine %s, %d thread(s), inputs: %s%n", r.engine(), r.threads(), r.inputs());
        System.out.println("| model | file size | p50 ms | p90 ms | p99 ms | CPU p50 ms | samples/s | heap allocated/run | JVM native |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (ModelBench.Row x : r.rows())
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.1f | %s | %s |%n", x.model(), Sizes.bytes(x.fileBytes()), x.p50Ms(), x.p90Ms(),
                    x.p99Ms(), x.cpuP50Ms(), x.throughput(), x.heapAllocatedBytes() < 0 ? "not measured" : Sizes.bytes(x.heapAllocatedBytes()), x.nativeBytes() == null ? "not measured" : Sizes.bytes(x.nativeBytes()));
        for (Ratio q : r.ratios())
            System.out.printf(Locale.ROOT, "%s / %s: size %.3fx, p50 wall %.3fx, p50 CPU %.3fx (below 1 = smaller / faster)%n", q.model(), q.baseline(), q.size(),
                    q.p50Wall(), q.p50Cpu());
        ModelBench.Row first = r.rows().getFirst();
        System.out.printf(Locale.ROOT, "%d warm-up + %d timed runs per model, interleaved; process peak RSS %s%n", first.warmup(), first.runs(),
                r.processPeakRssBytes() < 0 ? "not available" : Sizes.bytes(r.processPeakRssBytes()));
    }

    /** Uniform [0, 1) floats (zeros for integer inputs) in the model's input shapes; free dimensions: batch first, else 1. */
    static Map<String, Tensor> randomFeeds(Model m, int batch, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ValueInfo v : m.graph().feedInputs()) {
            Shape s = v.shape();
            if (s == null) throw new IllegalArgumentException("input " + v.name() + " has no shape; give --data");
            long[] shape = new long[s.rank()];
            for (int i = 0; i < shape.length; i++) shape[i] = s.dim(i).isKnown() ? s.dim(i).value() : i == 0 ? batch : 1;
            int n = Math.toIntExact(Tensor.elementCount(shape));
            DataType t = v.dtype() == null ? DataType.FLOAT32 : v.dtype();
            out.put(v.name(), switch (t) {
                case FLOAT32 -> {
                    float[] x = new float[n];
                    for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble();
                    yield Tensor.of(x, shape);
                }
                case INT64 -> Tensor.ofLongs(new long[n], shape);
                case INT32 -> Tensor.ofInts(new int[n], shape);
                default -> throw new IllegalArgumentException("input " + v.name() + " is " + t + "; give --data");
            });
        }
        return out;
    }
}
