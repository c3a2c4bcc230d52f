package dev.quant4j.graph.infer;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.Topology;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Propagates element types, shapes and constant values through a graph in topological order,
 * one {@link ShapeRule} per operator from a {@link ShapeRules} registry.
 *
 * <p>Graph inputs start from their declared types, optionally overridden with concrete shapes
 * (and values, e.g. a sample rate) from the caller; initializers are constants. An operator
 * without a rule leaves its outputs unknown (or as declared by the model's value infos) rather
 * than failing; a contradiction (shapes that cannot broadcast, a MatMul whose inner dimensions
 * differ) throws a {@link ShapeInferenceException} naming the node.
 */
public final class ShapeInference {
    private final ShapeRules rules;
    private long opset;

    public ShapeInference(ShapeRules rules) {
        this.rules = rules;
    }

    /** Inference with the built-in rules and the graph's declared input types. */
    public static InferenceResult run(Graph g, long opset) {
        return new ShapeInference(ShapeRules.defaults()).infer(g, opset, Map.of(), Map.of());
    }

    /**
     * @param inputShapes concrete (or more specific) shapes for graph inputs, by name
     * @param inputValues known values of graph inputs, by name (they become constants)
     */
    public InferenceResult infer(Graph g, long opset, Map<String, Shape> inputShapes, Map<String, Tensor> inputValues) {
        this.opset = opset;
        Scope scope = new Scope(null);
        for (ValueInfo vi : g.inputs()) {
            ValueType t = vi.type();
            Shape s = inputShapes.get(vi.name());
            if (s != null) t = new ValueType.TensorType(vi.dtype(), s);
            if (t != null) scope.setType(vi.name(), t);
        }
        inputValues.forEach((name, v) -> {
            scope.setConstant(name, v);
            scope.setType(name, new ValueType.TensorType(v.dtype(), Shape.of(v.shape())));
        });
        run(g, scope);
        return new InferenceResult(Map.copyOf(scope.types), Map.copyOf(scope.constants));
    }

    List<ValueType> inferSubgraph(Graph g, Map<String, ValueType> inputTypes, Scope outer) {
        Scope scope = new Scope(outer);
        for (ValueInfo vi : g.inputs()) {
            ValueType t = inputTypes.getOrDefault(vi.name(), vi.type());
            if (t != null) scope.setType(vi.name(), t);
        }
        run(g, scope);
        List<ValueType> out = new ArrayList<>();
        for (ValueInfo o : g.outputs()) {
            ValueType t = scope.type(o.name());
            out.add(t != null ? t : o.type());
        }
        return out;
    }

    private void run(Graph g, Scope scope) {
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            if (scope.types.containsKey(e.getKey()) && !scope.constants.containsKey(e.getKey())) continue; // an input that overrides its default
            scope.setConstant(e.getKey(), e.getValue());
            scope.setType(e.getKey(), new ValueType.TensorType(e.getValue().dtype(), Shape.of(e.getValue().shape())));
        }
        Map<String, ValueInfo> declared = new HashMap<>(g.valueInfos());
        for (ValueInfo o : g.outputs()) declared.put(o.name(), o);
        for (Node n : Topology.sort(g)) {
            ShapeRule rule = rules.find(n.domain(), n.opType());
            if (rule != null) {
                InferenceContext ctx = new InferenceContext(n, opset, scope, this);
                try {
                    rule.infer(ctx);
                } catch (ShapeInferenceException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new ShapeInferenceException("node " + n.label() + ": cannot infer its output types: " + e.getMessage(), e);
                }
            }
            for (String o : n.outputs()) {
                if (o.isEmpty()) continue;
                ValueType have = scope.types.get(o);
                ValueInfo decl = declared.get(o);
                if (decl != null && decl.type() != null && (have == null || lessKnown(have, decl.type()))) scope.setType(o, decl.type());
            }
        }
    }

    /** True when {@code a} says less than {@code b} (unknown rank or element type where b has one). */
    private static boolean lessKnown(ValueType a, ValueType b) {
        if (a instanceof ValueType.TensorType x && b instanceof ValueType.TensorType y) {
            return (x.shape() == null && y.shape() != null) || (x.elemType() == null && y.elemType() != null);
        }
        return false;
    }
}
