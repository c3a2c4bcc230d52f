package dev.quant4j.cli;

import dev.quant4j.data.npy.Npy;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.onnx.OnnxReader;
import dev.quant4j.runtime.Session;
import dev.quant4j.runtime.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quant4j run MODEL.onnx --input name=file.npy ...}: one inference with quant4j's runtime, outputs as NPY. */
@Command(name = "run", description = "Run an ONNX model with the quant4j runtime on NPY inputs; write the outputs as NPY files.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy", description = "A model input and the NPY file that holds it (repeat for each input).")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", defaultValue = ".", description = "Where to write OUTPUT_NAME.npy (default: current folder).")
    Path outDir;

    @Option(names = "--threads", defaultValue = "0", description = "Threads for the kernels (default: all processors).")
    int threads;

    @Option(names = "--runs", defaultValue = "1", description = "Run this many times and report the median time (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1");
        long t0 = System.nanoTime();
        try (Model m = OnnxReader.read(model)) {
            long tLoad = System.nanoTime();
            Map<String, Tensor> feeds = feeds(m);
            Session session = Session.create(m, threads > 0 ? SessionOptions.threads(threads) : SessionOptions.defaults());
            long tSession = System.nanoTime();
            long[] times = new long[runs];
            Map<String, Tensor> out = null;
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                out = session.run(feeds);
                times[r] = System.nanoTime() - s;
            }
            Arrays.sort(times);
            Files.createDirectories(outDir);
            for (var e : out.entrySet()) {
                Path f = outDir.resolve(fileName(e.getKey()));
                if (inputs.values().stream().anyMatch(p -> Files.exists(p) && Files.exists(f) && sameFile(p, f)))
                    throw new IllegalArgumentException(f + ": refusing to overwrite an input file");
                Npy.write(f, NpyTensors.toNpy(e.getValue(), e.getKey()));
                System.out.printf(Locale.ROOT, "%s  %s %s -> %s%n", e.getKey(), e.getValue().dtype(), Arrays.toString(e.getValue().shape()), f);
            }
            System.out.printf(Locale.ROOT, "load %.1f ms, session %.1f ms, run %.2f ms%s%n", (tLoad - t0) / 1e6, (tSession - tLoad) / 1e6,
                    times[runs / 2] / 1e6, runs > 1 ? String.format(Locale.ROOT, " (median of %d, min %.2f, max %.2f)", runs, times[0] / 1e6, times[runs - 1] / 1e6) : "");
            session.close();
        }
        return Quant4j.OK;
    }

    private Map<String, Tensor> feeds(Model m) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (String name : inputs.keySet())
            if (m.graph().feedInputs().stream().noneMatch(v -> v.name().equals(name)))
                throw new CommandLine.ParameterException(spec.commandLine(), "the model has no input '" + name + "'; its inputs are " + m.graph().inputNames());
        for (ValueInfo v : m.graph().feedInputs()) {
            Path f = inputs.get(v.name());
            if (f == null) throw new CommandLine.ParameterException(spec.commandLine(), "missing --input " + v.name() + "=FILE.npy");
            Tensor t = NpyTensors.toTensor(Npy.read(f), f);
            if (v.dtype() != null && v.dtype() != t.dtype())
                throw new BadInputException(f, "input " + v.name() + " must be " + v.dtype() + ", the file holds " + t.dtype());
            Shape s = v.shape();
            if (s != null) {
                boolean ok = s.rank() == t.rank();
                for (int i = 0; ok && i < s.rank(); i++) ok = !s.dim(i).isKnown() || s.dim(i).value() == t.dim(i);
                if (!ok) throw new BadInputException(f, "input " + v.name() + " must have shape " + ModelSummary.shapeText(s) + ", the file holds " + Arrays.toString(t.shape()));
            }
            feeds.put(v.name(), t);
        }
        return feeds;
    }

    /** Output names may hold characters a file name cannot ("softmax_0.tmp_0" is fine, "Identity:0" is not everywhere). */
    static String fileName(String output) {
        return output.replaceAll("[^A-Za-z0-9._-]", "_") + ".npy";
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
