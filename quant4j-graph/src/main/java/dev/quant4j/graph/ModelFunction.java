package dev.quant4j.graph;

import java.util.List;
import java.util.Map;

/**
 * A model-local function (ONNX FunctionProto): an operator {@code domain.name} defined by a body
 * of nodes. Attribute names without defaults are in {@code attributeNames}; those with defaults
 * in {@code attributeDefaults}.
 */
public record ModelFunction(String name, String domain, String overload, List<String> inputs, List<String> outputs,
                            List<String> attributeNames, Attributes attributeDefaults, List<Node> nodes,
                            Map<String, Long> opsets, List<ValueInfo> valueInfos, String docString) {
    public ModelFunction {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributeNames = List.copyOf(attributeNames);
        nodes = List.copyOf(nodes);
        opsets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(opsets));
        valueInfos = List.copyOf(valueInfos);
    }
}
