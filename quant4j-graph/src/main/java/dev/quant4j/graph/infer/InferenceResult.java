package dev.quant4j.graph.infer;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import java.util.Map;

/** The types and constant values inference found for a graph's values (main scope). */
public record InferenceResult(Map<String, ValueType> types, Map<String, Tensor> constants) {

    public ValueType type(String value) { return types.get(value); }

    public Shape shape(String value) { return types.get(value) instanceof ValueType.TensorType t ? t.shape() : null; }

    public DataType dtype(String value) { return types.get(value) instanceof ValueType.TensorType t ? t.elemType() : null; }

    /** The value computed for {@code value} at inference time, or null. */
    public Tensor constant(String value) { return constants.get(value); }

    /**
     * Records the inferred types of node outputs in the graph's value infos (graph inputs and
     * outputs keep their declarations), so that they are written with the model.
     */
    public void applyTo(Graph g) {
        for (Node n : g.nodes()) {
            for (String o : n.outputs()) {
                ValueType t = types.get(o);
                if (o.isEmpty() || t == null || g.isGraphOutput(o)) continue;
                g.valueInfos().put(o, new ValueInfo(o, t));
            }
        }
    }
}
