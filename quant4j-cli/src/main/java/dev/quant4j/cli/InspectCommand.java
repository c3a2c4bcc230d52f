package dev.quant4j.cli;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quant4j inspect MODEL.onnx}: operators, parameters, inputs and outputs, opsets, sizes. */
@Command(name = "inspect", description = "Describe an ONNX model: operators, parameters, inputs/outputs, opsets, sizes.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many of the largest initializers to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        ModelSummary s;
        try (Model m = OnnxReader.read(model)) {
            s = ModelSummary.of(model, m, Math.max(0, top));
        }
        PrintStream out = System.out;
        if (json) {
            out.println(Json.write(s));
            return Quant4j.OK;
        }
        out.printf(Locale.ROOT, "file        %s (%s%s)%n", s.file(), Sizes.bytes(s.fileBytes()),
                s.externalDataBytes() > 0 ? " + " + Sizes.bytes(s.externalDataBytes()) + " external data" : "");
        out.printf(Locale.ROOT, "ir version  %d, producer %s%n", s.irVersion(), s.producer().isEmpty() ? "-" : s.producer());
        out.println("opsets      " + s.opsets().entrySet().stream().map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        for (var v : s.inputs()) out.printf(Locale.ROOT, "input       %s  %s %s%n", v.name(), v.dtype(), v.shape());
        for (var v : s.outputs())
            out.printf(Locale.ROOT, "output      %s  %s %s%s%n", v.name(), v.dtype(), v.shape(), v.inferredShape() == null ? "" : " (inferred " + v.inferredShape() + ")");
        if (!s.shapeInference().equals("ok")) out.println("shape inference " + s.shapeInference());
        out.printf(Locale.ROOT, "operators   %d nodes, %d types: %s%n", s.nodes(), s.operators().size(),
                s.operators().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        var p = s.parameters();
        out.printf(Locale.ROOT, "parameters  %d tensors%s, %,d values, %s: %s%n", p.tensors(),
                p.inConstantNodes() > 0 ? " (" + p.inConstantNodes() + " in Constant nodes)" : "", p.values(), Sizes.bytes(p.bytes()),
                p.bytesByDtype().entrySet().stream().map(e -> e.getKey() + " " + Sizes.bytes(e.getValue())).collect(Collectors.joining(", ")));
        if (!s.largestInitializers().isEmpty()) {
            out.println("largest tensors (initializers and Constant nodes):");
            for (var i : s.largestInitializers())
                out.printf(Locale.ROOT, "  %12s  %-8s %-18s %s%n", Sizes.bytes(i.bytes()), i.dtype(), i.shape(), i.name());
        }
        return Quant4j.OK;
    }
}
