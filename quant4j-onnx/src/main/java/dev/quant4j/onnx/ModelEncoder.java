package dev.quant4j.onnx;

import com.google.protobuf.ByteString;
import dev.quant4j.graph.Attribute;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.ModelFunction;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.SparseTensor;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.onnx.proto.OnnxProto.AttributeProto;
import dev.quant4j.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import dev.quant4j.onnx.proto.OnnxProto.FunctionProto;
import dev.quant4j.onnx.proto.OnnxProto.GraphProto;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import dev.quant4j.onnx.proto.OnnxProto.NodeProto;
import dev.quant4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.quant4j.onnx.proto.OnnxProto.StringStringEntryProto;
import java.util.Map;

/** {@link Model} to ModelProto; the mirror of {@link ModelDecoder}. */
final class ModelEncoder {
    private final TensorEncoder tensors;

    ModelEncoder(TensorEncoder tensors) {
        this.tensors = tensors;
    }

    ModelProto model(Model m) {
        ModelProto.Builder b = ModelProto.newBuilder()
                .setIrVersion(m.irVersion())
                .setProducerName(m.producerName())
                .setProducerVersion(m.producerVersion())
                .setDomain(m.domain())
                .setModelVersion(m.modelVersion())
                .setGraph(graph(m.graph(), true));
        if (m.docString() != null) b.setDocString(m.docString());
        opsets(m.opsets()).forEach(b::addOpsetImport);
        m.metadata().forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        for (ModelFunction f : m.functions()) b.addFunctions(function(f));
        return b.build();
    }

    private static Iterable<OperatorSetIdProto> opsets(Map<String, Long> opsets) {
        return opsets.entrySet().stream()
                .map(e -> OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()).build()).toList();
    }

    private GraphProto graph(Graph g, boolean main) {
        GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
        if (g.docString() != null) b.setDocString(g.docString());
        for (Node n : g.nodes()) b.addNode(node(n));
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            // Only the main graph's initializers go to the side file; subgraph ones stay embedded.
            b.addInitializer(main ? tensors.initializer(e.getKey(), e.getValue()) : tensors.embedded(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, SparseTensor> e : g.sparseInitializers().entrySet()) b.addSparseInitializer(tensors.sparse(e.getKey(), e.getValue()));
        for (ValueInfo v : g.inputs()) b.addInput(TypeCodec.encodeValueInfo(v));
        for (ValueInfo v : g.outputs()) b.addOutput(TypeCodec.encodeValueInfo(v));
        for (ValueInfo v : g.valueInfos().values()) b.addValueInfo(TypeCodec.encodeValueInfo(v));
        return b.build();
    }

    private NodeProto node(Node n) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(n.opType()).addAllInput(n.inputs()).addAllOutput(n.outputs());
        if (!n.name().isEmpty()) b.setName(n.name());
        if (!n.domain().isEmpty()) b.setDomain(n.domain());
        if (n.docString() != null) b.setDocString(n.docString());
        attributes(n.attributes()).forEach(b::addAttribute);
        return b.build();
    }

    private java.util.List<AttributeProto> attributes(Attributes attrs) {
        return attrs.asMap().entrySet().stream().map(e -> attribute(e.getKey(), e.getValue())).toList();
    }

    private AttributeProto attribute(String name, Attribute a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name);
        AttributeType type = switch (a) {
            case Attribute.FloatValue f -> { b.setF(f.value()); yield AttributeType.FLOAT; }
            case Attribute.IntValue i -> { b.setI(i.value()); yield AttributeType.INT; }
            case Attribute.StringValue s -> { b.setS(ByteString.copyFromUtf8(s.value())); yield AttributeType.STRING; }
            case Attribute.TensorValue t -> { b.setT(tensors.embedded(null, t.value()).toBuilder().clearName()
                    .build()); yield AttributeType.TENSOR; }
            case Attribute.GraphValue g -> { b.setG(graph(g.value(), false)); yield AttributeType.GRAPH; }
            case Attribute.SparseTensorValue s -> { b.setSparseTensor(tensors.sparse(null, s.value())); yield AttributeType.SPARSE_TENSOR; }
            case Attribute.TypeValue t -> { b.setTp(TypeCodec.encodeType(t.value())); yield AttributeType.TYPE_PROTO; }
            case Attribute.Floats f -> { for (float x : f.values()) b.addFloats(x); yield AttributeType.FLOATS; }
            case Attribute.Ints i -> { for (long x : i.values()) b.addInts(x); yield AttributeType.INTS; }
            case Attribute.Strings s -> { s.values().forEach(x -> b.addStrings(ByteString.copyFromUtf8(x))); yield AttributeType.STRINGS; }
            case Attribute.Tensors ts -> { ts.values().forEach(t -> b.addTensors(tensors.embedded(null, t))); yield AttributeType.TENSORS; }
            case Attribute.Graphs gs -> { gs.values().forEach(g -> b.addGraphs(graph(g, false))); yield AttributeType.GRAPHS; }
            case Attribute.SparseTensors ss -> { ss.values().forEach(s -> b.addSparseTensors(tensors.sparse(null, s))); yield AttributeType.SPARSE_TENSORS; }
            case Attribute.TypeValues ts -> { for (ValueType t : ts.values()) b.addTypeProtos(TypeCodec.encodeType(t)); yield AttributeType.TYPE_PROTOS; }
            case Attribute.Ref r -> {
                b.setRefAttrName(r.refName());
                AttributeType t = AttributeType.forNumber(r.onnxType());
                yield t == null ? AttributeType.UNDEFINED : t;
            }
        };
        return b.setType(type.getNumber()).build();
    }

    private FunctionProto function(ModelFunction f) {
        FunctionProto.Builder b = FunctionProto.newBuilder().setName(f.name()).setDomain(f.domain())
                .addAllInput(f.inputs()).addAllOutput(f.outputs()).addAllAttribute(f.attributeNames());
        if (f.overload() != null && !f.overload().isEmpty()) b.setOverload(f.overload());
        if (f.docString() != null) b.setDocString(f.docString());
        attributes(f.attributeDefaults()).forEach(b::addAttributeProto);
        for (Node n : f.nodes()) b.addNode(node(n));
        opsets(f.opsets()).forEach(b::addOpsetImport);
        for (ValueInfo v : f.valueInfos()) b.addValueInfo(TypeCodec.encodeValueInfo(v));
        return b.build();
    }
}
