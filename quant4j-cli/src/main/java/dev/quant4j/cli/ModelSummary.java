package dev.quant4j.cli;

import dev.quant4j.graph.Attribute;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.graph.infer.InferenceResult;
import dev.quant4j.graph.infer.ShapeInference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code quant4j inspect} reports about an ONNX model; serialised as is for {@code --json}.
 * Nodes inside subgraphs (If, Loop, Scan bodies) are counted with the main graph, and so are the
 * tensors of Constant nodes (named by their output), which some exporters use instead of initializers.
 */
public record ModelSummary(String file, long fileBytes, long externalDataBytes, long irVersion, String producer, Map<String, Long> opsets,
                           List<Value> inputs, List<Value> outputs, int nodes, Map<String, Integer> operators, Parameters parameters,
                           List<Initializer> largestInitializers, String shapeInference) {

    /** A graph input or output; {@code inferredShape} is set when shape inference knows more than the declaration. */
    public record Value(String name, String dtype, String shape, String inferredShape) {}

    public record Parameters(int tensors, long values, long bytes, Map<String, Long> bytesByDtype, int inConstantNodes) {}

    /** An initializer or Constant-node tensor. */
    public record Initializer(String name, String dtype, List<Long> shape, long values, long bytes) {}

    public static ModelSummary of(Path file, Model model, int top) throws IOException {
        Graph g = model.graph();
        Path real = file.toRealPath();
        long external = 0;
        for (Path p : model.sourceFiles()) if (!p.equals(real)) external += Files.size(p);

        Map<String, Integer> ops = new TreeMap<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        int nodes = countNodes(g, ops, constants);
        Map<String, Integer> byCount = new LinkedHashMap<>();
        ops.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> byCount.put(e.getKey(), e.getValue()));

        Map<String, Long> byDtype = new TreeMap<>();
        long values = 0, bytes = 0;
        List<Initializer> inits = new ArrayList<>();
        Map<String, Tensor> named = new LinkedHashMap<>(g.initializers());
        named.putAll(constants);
        for (var e : named.entrySet()) {
            Tensor t = e.getValue();
            inits.add(new Initializer(e.getKey(), t.dtype().name(), java.util.Arrays.stream(t.shape()).boxed().toList(), t.elementCount(), t.byteSize()));
        }
        for (Tensor t : named.values()) {
            values += t.elementCount();
            bytes += t.byteSize();
            byDtype.merge(t.dtype().name(), t.byteSize(), Long::sum);
        }
        inits.sort(Comparator.comparingLong(Initializer::bytes).reversed().thenComparing(Initializer::name));

        InferenceResult inferred = null;
        String inference = "ok";
        try {
            inferred = ShapeInference.run(g, model.onnxOpset());
        } catch (RuntimeException e) {
            inference = "failed: " + e.getMessage();
        }
        List<Value> outs = new ArrayList<>();
        for (ValueInfo v : g.outputs()) outs.add(value(v, inferred));
        List<Value> ins = new ArrayList<>();
        for (ValueInfo v : g.feedInputs()) ins.add(value(v, null));

        return new ModelSummary(file.toString(), Files.size(file), external, model.irVersion(),
                (model.producerName() + " " + model.producerVersion()).trim(), new TreeMap<>(model.opsets()), ins, outs, nodes, byCount,
                new Parameters(named.size(), values, bytes, byDtype, constants.size()), inits.subList(0, Math.min(top, inits.size())), inference);
    }

    private static int countNodes(Graph g, Map<String, Integer> ops, Map<String, Tensor> constants) {
        int n = 0;
        for (Node node : g.nodes()) {
            n++;
            ops.merge(node.isOnnxDomain() ? node.opType() : node.domain() + ":" + node.opType(), 1, Integer::sum);
            if (node.opType().equals("Constant") && node.isOnnxDomain())
                node.attributes().asMap().values().forEach(a -> { if (a instanceof Attribute.TensorValue tv) constants.put(node.output(0), tv.value()); });
            for (Graph sub : node.subgraphs()) n += countNodes(sub, ops, constants);
        }
        return n;
    }

    private static Value value(ValueInfo v, InferenceResult inferred) {
        String declared = typeText(v.type());
        String dtype = v.type() instanceof ValueType.TensorType t && t.elemType() != null ? t.elemType().name() : null;
        String better = null;
        if (inferred != null && inferred.type(v.name()) instanceof ValueType.TensorType t && t.shape() != null) {
            Shape declaredShape = v.type() instanceof ValueType.TensorType d ? d.shape() : null;
            if (known(t.shape()) > known(declaredShape)) better = shapeText(t.shape());
        }
        return new Value(v.name(), dtype, declared, better);
    }

    private static long known(Shape s) {
        return s == null ? -1 : s.dims().stream().filter(d -> d.isKnown()).count();
    }

    private static String typeText(ValueType t) {
        return switch (t) {
            case ValueType.TensorType tt -> shapeText(tt.shape());
            case null -> "?";
            default -> t.toString();
        };
    }

    static String shapeText(Shape s) {
        if (s == null) return "?";
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.rank(); i++) b.append(i > 0 ? "," : "").append(s.dim(i));
        return b.append(']').toString();
    }
}
