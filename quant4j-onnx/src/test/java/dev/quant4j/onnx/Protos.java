package dev.quant4j.onnx;

import com.google.protobuf.ByteString;
import dev.quant4j.onnx.proto.OnnxProto.GraphProto;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import dev.quant4j.onnx.proto.OnnxProto.NodeProto;
import dev.quant4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.quant4j.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorShapeProto;
import dev.quant4j.onnx.proto.OnnxProto.TypeProto;
import dev.quant4j.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-built ModelProtos for tests of the reader's checks: y = Add(x, w) with w an initializer. */
final class Protos {
    private Protos() {}

    static TensorProto.Builder floatTensor(String name, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return TensorProto.newBuilder().setName(name).setDataType(1).addDims(v.length).setRawData(ByteString.copyFrom(b.array()));
    }

    static TensorProto.Builder externalTensor(String name, long n, String location, long offset, long length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1).addDims(n)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)));
        if (length >= 0) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        return t;
    }

    static ValueInfoProto floatInfo(String name, long n) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n))))).build();
    }

    static ModelProto addModel(TensorProto w, long n) {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addNode(NodeProto.newBuilder().setName("add").setOpType("Add").addInput("x").addInput("w").addOutput("y"))
                .addInitializer(w)
                .addInput(floatInfo("x", n))
                .addOutput(floatInfo("y", n))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("test").setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
    }

    static Path write(Path file, ModelProto m) throws IOException {
        Files.write(file, m.toByteArray());
        return file;
    }
}
