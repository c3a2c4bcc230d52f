package dev.quant4j.onnx;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.onnx.proto.OnnxProto.TensorShapeProto;
import dev.quant4j.onnx.proto.OnnxProto.TypeProto;
import dev.quant4j.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;

/**
 * TypeProto and ValueInfoProto in both directions. Element type 0 (UNDEFINED) and an absent
 * shape mean "unknown" and map to null; a present shape with no dimensions is a scalar.
 */
final class TypeCodec {
    private TypeCodec() {}

    static ValueInfo decodeValueInfo(ValueInfoProto v, String what) {
        String label = what + " '" + v.getName() + "'";
        return new ValueInfo(v.getName(), v.hasType() ? decodeType(v.getType(), label) : null,
                v.hasDocString() ? v.getDocString() : null);
    }

    static ValueType decodeType(TypeProto t, String label) {
        return switch (t.getValueCase()) {
            case TENSOR_TYPE -> new ValueType.TensorType(elem(t.getTensorType().getElemType(), label),
                    t.getTensorType().hasShape() ? decodeShape(t.getTensorType().getShape()) : null);
            case SPARSE_TENSOR_TYPE -> new ValueType.SparseTensorType(elem(t.getSparseTensorType().getElemType(), label),
                    t.getSparseTensorType().hasShape() ? decodeShape(t.getSparseTensorType().getShape()) : null);
            case SEQUENCE_TYPE -> new ValueType.SequenceType(t.getSequenceType().hasElemType()
                    ? decodeType(t.getSequenceType().getElemType(), label) : null);
            case OPTIONAL_TYPE -> new ValueType.OptionalType(t.getOptionalType().hasElemType()
                    ? decodeType(t.getOptionalType().getElemType(), label) : null);
            case MAP_TYPE -> new ValueType.MapType(elem(t.getMapType().getKeyType(), label),
                    t.getMapType().hasValueType() ? decodeType(t.getMapType().getValueType(), label) : null);
            case VALUE_NOT_SET -> null;
        };
    }

    private static DataType elem(int code, String label) {
        return code == 0 ? null : TensorDecoder.dataType(code, label);
    }

    static Shape decodeShape(TensorShapeProto s) {
        List<Dim> dims = new ArrayList<>(s.getDimCount());
        for (TensorShapeProto.Dimension d : s.getDimList()) {
            // Some exporters write -1 for "unknown"; anything negative is treated so.
            if (d.hasDimValue()) dims.add(d.getDimValue() >= 0 ? Dim.of(d.getDimValue()) : Dim.UNKNOWN);
            else if (d.hasDimParam() && !d.getDimParam().isEmpty()) dims.add(Dim.symbol(d.getDimParam()));
            else dims.add(Dim.UNKNOWN);
        }
        return new Shape(dims);
    }

    static ValueInfoProto encodeValueInfo(ValueInfo v) {
        ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(v.name());
        if (v.type() != null) b.setType(encodeType(v.type()));
        if (v.docString() != null) b.setDocString(v.docString());
        return b.build();
    }

    static TypeProto encodeType(ValueType t) {
        TypeProto.Builder b = TypeProto.newBuilder();
        switch (t) {
            case ValueType.TensorType tt -> {
                TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder().setElemType(code(tt.elemType()));
                if (tt.shape() != null) x.setShape(encodeShape(tt.shape()));
                b.setTensorType(x);
            }
            case ValueType.SparseTensorType st -> {
                TypeProto.SparseTensor.Builder x = TypeProto.SparseTensor.newBuilder().setElemType(code(st.elemType()));
                if (st.shape() != null) x.setShape(encodeShape(st.shape()));
                b.setSparseTensorType(x);
            }
            case ValueType.SequenceType sq -> {
                TypeProto.Sequence.Builder x = TypeProto.Sequence.newBuilder();
                if (sq.elemType() != null) x.setElemType(encodeType(sq.elemType()));
                b.setSequenceType(x);
            }
            case ValueType.OptionalType op -> {
                TypeProto.Optional.Builder x = TypeProto.Optional.newBuilder();
                if (op.elemType() != null) x.setElemType(encodeType(op.elemType()));
                b.setOptionalType(x);
            }
            case ValueType.MapType mt -> {
                TypeProto.Map.Builder x = TypeProto.Map.newBuilder().setKeyType(code(mt.keyType()));
                if (mt.valueType() != null) x.setValueType(encodeType(mt.valueType()));
                b.setMapType(x);
            }
        }
        return b.build();
    }

    private static int code(DataType d) { return d == null ? 0 : d.onnxCode(); }

    static TensorShapeProto encodeShape(Shape s) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (Dim d : s.dims()) {
            TensorShapeProto.Dimension.Builder x = TensorShapeProto.Dimension.newBuilder();
            if (d.isKnown()) x.setDimValue(d.value());
            else if (d.isSymbolic()) x.setDimParam(d.symbol());
            b.addDim(x);
        }
        return b.build();
    }
}
