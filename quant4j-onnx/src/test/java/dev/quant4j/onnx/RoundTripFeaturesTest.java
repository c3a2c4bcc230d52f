package dev.quant4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attribute;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.GraphDiff;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.ModelFunction;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.SparseTensor;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import dev.quant4j.graph.ValueType;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the format the real models do not all exercise: metadata, the com.microsoft
 * opset, symbolic dimensions, every attribute kind, sparse and 4-bit tensors, container types,
 * If subgraphs and local functions survive write → read, and the bytes on disk use the
 * specification's field numbers (checked by parsing them back with the raw schema).
 */
class RoundTripFeaturesTest {
    @TempDir Path tmp;

    static Model everything() {
        Graph then = new Graph("then");
        then.outputs().add(ValueInfo.tensor("t_out", DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.of(4))));
        then.addNode(Node.of("Identity", "t_id", List.of("x"), List.of("t_out")));
        Graph other = new Graph("else");
        other.outputs().add(ValueInfo.tensor("e_out", DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.of(4))));
        other.initializers().put("e_w", Tensor.of(new float[] {2f}, 1));
        other.addNode(Node.of("Mul", "e_mul", List.of("x", "e_w"), List.of("e_out")));

        Graph g = new Graph("main");
        g.setDocString("a graph with everything");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.of(4))));
        g.inputs().add(ValueInfo.tensor("c", DataType.BOOL, Shape.SCALAR));
        g.inputs().add(new ValueInfo("seq", new ValueType.SequenceType(ValueType.tensor(DataType.INT64, null))));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.UNKNOWN)));
        g.initializers().put("q4", Tensor.ofBytes(DataType.INT4, new byte[] {(byte) 0x8F, 0x07}, 3));
        g.initializers().put("names", Tensor.ofStrings(List.of("alpha", "βeta"), 2));
        g.initializers().put("h", Tensor.ofBytes(DataType.FLOAT16, new byte[] {0x00, 0x3C}, 1));
        g.sparseInitializers().put("sp", new SparseTensor(Tensor.of(new float[] {5, 6}, 2), Tensor.ofLongs(new long[] {1, 7}, 2), new long[] {2, 4}));
        g.valueInfos().put("mid", ValueInfo.tensor("mid", DataType.FLOAT32, Shape.of(Dim.symbol("N"), Dim.of(4))));
        Node iff = new Node("branch", "If", "", List.of("c"), List.of("mid"), new Attributes().put("then_branch", then).put("else_branch", other));
        Attributes all = new Attributes().put("f", 0.25f).put("i", -3L).put("s", "text").put("t", Tensor.vectorOfLongs(1, 2))
                .put("fs", 1f, 2f).put("is", 4L, 5L)
                .put("ss", new Attribute.Strings(List.of("a", "b")))
                .put("ts", new Attribute.Tensors(List.of(Tensor.scalar(1f), Tensor.scalarLong(2))))
                .put("tp", new Attribute.TypeValue(ValueType.tensor(DataType.UINT8, Shape.of(3))));
        g.addNode(iff);
        g.addNode(new Node("custom", "FusedThing", "com.microsoft", List.of("mid", "", "q4"), List.of("y"), all));
        Model m = new Model(g);
        m.setIrVersion(9);
        m.opsets().put("", 17L);
        m.opsets().put("com.microsoft", 1L);
        m.opsets().put("local", 1L);
        m.setProducerName("quant4j-test");
        m.setProducerVersion("0.1");
        m.setDomain("dev.quant4j");
        m.setModelVersion(3);
        m.setDocString("doc");
        m.metadata().put("quant4j.policy", "int8 static");
        m.metadata().put("author", "test");
        Node fn = new Node("", "Add", "", List.of("a", "b"), List.of("o"), new Attributes().put("alpha", new Attribute.Ref("scale", 1)));
        m.functions().add(new ModelFunction("AddTwice", "local", "", List.of("a", "b"), List.of("o"), List.of("scale"),
                new Attributes(), List.of(fn), Map.of("", 17L), List.of(), null));
        return m;
    }

    @Test
    void everyFeatureSurvivesWriteAndRead() throws Exception {
        Model m = everything();
        for (WriteOptions opt : new WriteOptions[] {WriteOptions.EMBEDDED, WriteOptions.external(0)}) {
            Path dir = Files.createTempDirectory(tmp, "rt");
            Path out = dir.resolve("m.onnx");
            OnnxWriter.write(m, out, opt);
            try (Model back = OnnxReader.read(out)) {
                assertEquals(List.of(), GraphDiff.of(m, back), "with " + opt);
                assertArrayEquals(new long[] {-1, -8, 7}, back.graph().initializers().get("q4").toLongs());
                assertEquals(List.of("alpha", "βeta"), back.graph().initializers().get("names").strings());
                assertEquals(1L, back.opsets().get("com.microsoft"));
            }
        }
    }

    @Test
    void bytesOnDiskFollowTheSpecificationsFieldNumbers() throws Exception {
        Path out = tmp.resolve("m.onnx");
        OnnxWriter.write(everything(), out);
        // Walk the raw wire format by hand: ModelProto.ir_version is field 1 (varint), graph is 7.
        com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(Files.readAllBytes(out));
        boolean sawIr = false, sawGraph = false, sawMetadata = false, sawFunction = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> { assertEquals(9, in.readInt64()); sawIr = true; }
                case 7 -> { sawGraph = true; in.skipField(tag); }
                case 14 -> { sawMetadata = true; in.skipField(tag); }
                case 25 -> { sawFunction = true; in.skipField(tag); }
                default -> in.skipField(tag);
            }
        }
        assertTrue(sawIr && sawGraph && sawMetadata && sawFunction);
        ModelProto p = ModelProto.parseFrom(Files.readAllBytes(out));
        TensorProto q4 = p.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("q4")).findFirst().orElseThrow();
        assertEquals(22, q4.getDataType());                         // INT4 in TensorProto.DataType
        assertEquals(2, q4.getRawData().size());
        assertEquals("com.microsoft", p.getGraph().getNode(1).getDomain());
    }
}
