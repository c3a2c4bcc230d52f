package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueType;
import java.util.List;
import java.util.Map;

/** What a {@link ShapeRule} sees of one node: its inputs' types and constant values, and where its outputs go. */
public final class InferenceContext {
    private final Node node;
    private final long opset;
    private final Scope scope;
    private final ShapeInference engine;

    InferenceContext(Node node, long opset, Scope scope, ShapeInference engine) {
        this.node = node;
        this.opset = opset;
        this.scope = scope;
        this.engine = engine;
    }

    public Node node() { return node; }

    public Attributes attrs() { return node.attributes(); }

    /** The default-domain opset the model imports (attribute versus input forms depend on it). */
    public long opset() { return opset; }

    public int inputCount() { return node.inputs().size(); }

    public boolean hasInput(int i) { return node.hasInput(i); }

    public ValueType type(int i) { return hasInput(i) ? scope.type(node.input(i)) : null; }

    /** Element type of input i, or null when unknown or absent. */
    public DataType dtype(int i) { return type(i) instanceof ValueType.TensorType t ? t.elemType() : null; }

    /** Shape of input i, or null when its rank is unknown or it is absent. */
    public Shape shape(int i) { return type(i) instanceof ValueType.TensorType t ? t.shape() : null; }

    /** Value of input i when it is known at inference time (initializer, Constant, folded), else null. */
    public Tensor constant(int i) { return hasInput(i) ? scope.constant(node.input(i)) : null; }

    public int outputCount() { return node.outputs().size(); }

    public void setOutput(int i, DataType dtype, Shape shape) {
        setOutputType(i, new ValueType.TensorType(dtype, shape));
    }

    public void setOutputType(int i, ValueType t) {
        if (i < node.outputs().size() && !node.output(i).isEmpty()) scope.setType(node.output(i), t);
    }

    /** Records a computed value for output i (and its type and shape). */
    public void setConstant(int i, Tensor t) {
        if (i < node.outputs().size() && !node.output(i).isEmpty()) {
            scope.setConstant(node.output(i), t);
            setOutput(i, t.dtype(), Shape.of(t.shape()));
        }
    }

    /** Infers a subgraph (If branch, Loop body) given its formal input types; returns its output types. */
    public List<ValueType> inferSubgraph(Graph g, Map<String, ValueType> inputTypes) {
        return engine.inferSubgraph(g, inputTypes, scope);
    }

    /** Constant value of an outer-scope name, for subgraph rules. */
    Tensor constantOf(String name) { return scope.constant(name); }

    /**
     * Checks that the given inputs have one element type (where known): operators such as Add or
     * MatMul take a single type variable T for all of them. Returns that type, or null.
     */
    public DataType sameType(int... inputs) {
        DataType t = null;
        int first = -1;
        for (int i : inputs) {
            DataType d = dtype(i);
            if (d == null) continue;
            if (t != null && d != t) throw fail("input " + first + " is " + t + " but input " + i + " is " + d + "; " + node.opType() + " needs one type");
            if (t == null) { t = d; first = i; }
        }
        return t;
    }

    /** All input indices 0..inputCount-1 (for variadic operators). */
    public int[] allInputs() {
        return java.util.stream.IntStream.range(0, inputCount()).filter(this::hasInput).toArray();
    }

    /** An exception naming this node, to throw. */
    public ShapeInferenceException fail(String problem) {
        return new ShapeInferenceException("node " + node.label() + ": " + problem);
    }
}
