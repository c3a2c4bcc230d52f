package dev.quant4j.onnx;

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
import dev.quant4j.onnx.proto.OnnxProto.SparseTensorProto;
import dev.quant4j.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorProto;
import dev.quant4j.onnx.proto.OnnxProto.TypeProto;
import dev.quant4j.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ModelProto to {@link Model}: the graph and its subgraphs, attributes, functions and metadata. */
final class ModelDecoder {
    private final TensorDecoder tensors;

    ModelDecoder(TensorDecoder tensors) {
        this.tensors = tensors;
    }

    void decodeInto(ModelProto m, Model model) {
        model.setIrVersion(m.getIrVersion());
        model.setProducerName(m.getProducerName());
        model.setProducerVersion(m.getProducerVersion());
        model.setDomain(m.getDomain());
        model.setModelVersion(m.getModelVersion());
        if (m.hasDocString()) model.setDocString(m.getDocString());
        model.opsets().putAll(opsets(m.getOpsetImportList()));
        for (StringStringEntryProto e : m.getMetadataPropsList()) model.metadata().put(e.getKey(), e.getValue());
        for (FunctionProto f : m.getFunctionsList()) model.functions().add(function(f));
    }

    static Map<String, Long> opsets(List<OperatorSetIdProto> list) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (OperatorSetIdProto o : list) out.put(o.getDomain(), o.getVersion());
        return out;
    }

    Graph graph(GraphProto g, String scope) {
        Graph out = new Graph(g.getName());
        String where = scope.isEmpty() ? "graph '" + g.getName() + "'" : scope;
        if (g.hasDocString()) out.setDocString(g.getDocString());
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) throw new FormatProblem(where + ": an initializer has no name");
            out.initializers().put(t.getName(), tensors.decode(t, where + ": initializer"));
        }
        for (SparseTensorProto s : g.getSparseInitializerList()) {
            String name = s.getValues().getName();
            out.sparseInitializers().put(name, tensors.decodeSparse(s, where + ": sparse initializer '" + name + "'"));
        }
        for (ValueInfoProto v : g.getInputList()) out.inputs().add(TypeCodec.decodeValueInfo(v, where + ": input"));
        for (ValueInfoProto v : g.getOutputList()) out.outputs().add(TypeCodec.decodeValueInfo(v, where + ": output"));
        for (ValueInfoProto v : g.getValueInfoList()) out.valueInfos().put(v.getName(), TypeCodec.decodeValueInfo(v, where + ": value_info"));
        for (int i = 0; i < g.getNodeCount(); i++) out.addNode(node(g.getNode(i), where, i));
        return out;
    }

    private Node node(NodeProto n, String where, int index) {
        String label = where + ": node " + index + (n.getName().isEmpty() ? "" : " '" + n.getName() + "'")
                + " (" + (n.getOpType().isEmpty() ? "no op type" : n.getOpType()) + ")";
        if (n.getOpType().isEmpty()) throw new FormatProblem(label + " has no op type");
        Attributes attrs = new Attributes();
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().isEmpty()) throw new FormatProblem(label + ": an attribute has no name");
            attrs.put(a.getName(), attribute(a, label + ", attribute '" + a.getName() + "'"));
        }
        Node node = new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(), attrs);
        if (n.hasDocString()) node.setDocString(n.getDocString());
        return node;
    }

    Attribute attribute(AttributeProto a, String label) {
        AttributeType type = a.hasType() ? AttributeType.forNumber(a.getType()) : inferType(a);
        if (type == null) throw new FormatProblem(label + ": unknown attribute type " + a.getType());
        if (!a.getRefAttrName().isEmpty()) return new Attribute.Ref(a.getRefAttrName(), type.getNumber());
        return switch (type) {
            case FLOAT -> new Attribute.FloatValue(a.getF());
            case INT -> new Attribute.IntValue(a.getI());
            case STRING -> new Attribute.StringValue(a.getS().toStringUtf8());
            case TENSOR -> new Attribute.TensorValue(tensors.decode(a.getT(), label + " tensor"));
            case GRAPH -> new Attribute.GraphValue(graph(a.getG(), label + " graph '" + a.getG().getName() + "'"));
            case SPARSE_TENSOR -> new Attribute.SparseTensorValue(tensors.decodeSparse(a.getSparseTensor(), label));
            case TYPE_PROTO -> new Attribute.TypeValue(TypeCodec.decodeType(a.getTp(), label));
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                yield new Attribute.Floats(f);
            }
            case INTS -> new Attribute.Ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case STRINGS -> new Attribute.Strings(a.getStringsList().stream().map(b -> b.toStringUtf8()).toList());
            case TENSORS -> {
                List<Tensor> ts = new ArrayList<>();
                for (int i = 0; i < a.getTensorsCount(); i++) ts.add(tensors.decode(a.getTensors(i), label + " tensor " + i));
                yield new Attribute.Tensors(ts);
            }
            case GRAPHS -> {
                List<Graph> gs = new ArrayList<>();
                for (int i = 0; i < a.getGraphsCount(); i++) gs.add(graph(a.getGraphs(i), label + " graph " + i));
                yield new Attribute.Graphs(gs);
            }
            case SPARSE_TENSORS -> {
                List<SparseTensor> ss = new ArrayList<>();
                for (int i = 0; i < a.getSparseTensorsCount(); i++) ss.add(tensors.decodeSparse(a.getSparseTensors(i), label + " " + i));
                yield new Attribute.SparseTensors(ss);
            }
            case TYPE_PROTOS -> {
                List<ValueType> ts = new ArrayList<>();
                for (TypeProto t : a.getTypeProtosList()) ts.add(TypeCodec.decodeType(t, label));
                yield new Attribute.TypeValues(ts);
            }
            case UNDEFINED -> throw new FormatProblem(label + ": attribute has no type and no value");
        };
    }

    /** Files before IR version 2 may omit the type; it follows from the one field that is set. */
    private static AttributeType inferType(AttributeProto a) {
        if (a.hasF()) return AttributeType.FLOAT;
        if (a.hasI()) return AttributeType.INT;
        if (a.hasS()) return AttributeType.STRING;
        if (a.hasT()) return AttributeType.TENSOR;
        if (a.hasG()) return AttributeType.GRAPH;
        if (a.hasSparseTensor()) return AttributeType.SPARSE_TENSOR;
        if (a.hasTp()) return AttributeType.TYPE_PROTO;
        if (a.getFloatsCount() > 0) return AttributeType.FLOATS;
        if (a.getIntsCount() > 0) return AttributeType.INTS;
        if (a.getStringsCount() > 0) return AttributeType.STRINGS;
        if (a.getTensorsCount() > 0) return AttributeType.TENSORS;
        if (a.getGraphsCount() > 0) return AttributeType.GRAPHS;
        if (a.getSparseTensorsCount() > 0) return AttributeType.SPARSE_TENSORS;
        if (a.getTypeProtosCount() > 0) return AttributeType.TYPE_PROTOS;
        return AttributeType.UNDEFINED;
    }

    private ModelFunction function(FunctionProto f) {
        String where = "function '" + f.getDomain() + "." + f.getName() + "'";
        Attributes defaults = new Attributes();
        for (AttributeProto a : f.getAttributeProtoList()) defaults.put(a.getName(), attribute(a, where + ", attribute '" + a.getName() + "'"));
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < f.getNodeCount(); i++) nodes.add(node(f.getNode(i), where, i));
        List<ValueInfo> vis = new ArrayList<>();
        for (ValueInfoProto v : f.getValueInfoList()) vis.add(TypeCodec.decodeValueInfo(v, where + ": value_info"));
        return new ModelFunction(f.getName(), f.getDomain(), f.getOverload(), f.getInputList(), f.getOutputList(),
                f.getAttributeList(), defaults, nodes, opsets(f.getOpsetImportList()), vis, f.hasDocString() ? f.getDocString() : null);
    }
}
