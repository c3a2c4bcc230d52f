package dev.quant4j.core.ort;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: writes tiny single-purpose ONNX models in protobuf wire format (no protobuf library
 * in quant4j-core), so that ONNX Runtime can serve as the oracle. Only the fields these tests need:
 * ModelProto.ir_version/opset_import/graph; GraphProto.node/name/initializer/input/output;
 * NodeProto.input/output/op_type/attribute (INT attributes); TensorProto with raw_data;
 * ValueInfoProto with element type and fixed dims.
 */
final class TinyOnnx {
    private final List<byte[]> nodes = new ArrayList<>(), inits = new ArrayList<>(), inputs = new ArrayList<>(), outputs = new ArrayList<>();
    private final int opset;

    TinyOnnx(int opset) { this.opset = opset; }

    /** A node with INT attributes given as name, value pairs. */
    TinyOnnx node(String op, String[] in, String[] out, Object... intAttrs) {
        Msg n = new Msg();
        for (String s : in) n.string(1, s);
        for (String s : out) n.string(2, s);
        n.string(4, op);
        for (int i = 0; i < intAttrs.length; i += 2) {
            n.message(5, new Msg().string(1, (String) intAttrs[i]).varint(3, ((Number) intAttrs[i + 1]).longValue()).varint(20, 2).bytes());
        }
        nodes.add(n.bytes());
        return this;
    }

    TinyOnnx initializer(String name, int dataType, long[] dims, byte[] raw) {
        Msg t = new Msg();
        for (long d : dims) t.varint(1, d);
        t.varint(2, dataType).string(8, name).rawBytes(9, raw);
        inits.add(t.bytes());
        return this;
    }

    TinyOnnx input(String name, int elemType, long... dims) { inputs.add(valueInfo(name, elemType, dims)); return this; }

    TinyOnnx output(String name, int elemType, long... dims) { outputs.add(valueInfo(name, elemType, dims)); return this; }

    private static byte[] valueInfo(String name, int elemType, long[] dims) {
        Msg shape = new Msg();
        for (long d : dims) shape.message(1, new Msg().varint(1, d).bytes());
        Msg tensor = new Msg().varint(1, elemType).message(2, shape.bytes());
        return new Msg().string(1, name).message(2, new Msg().message(1, tensor.bytes()).bytes()).bytes();
    }

    byte[] build() {
        Msg g = new Msg();
        for (byte[] n : nodes) g.message(1, n);
        g.string(2, "g");
        for (byte[] t : inits) g.message(5, t);
        for (byte[] v : inputs) g.message(11, v);
        for (byte[] v : outputs) g.message(12, v);
        return new Msg().varint(1, 10).message(8, new Msg().string(1, "").varint(2, opset).bytes()).message(7, g.bytes()).bytes();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    /** Protobuf message writer. */
    static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg varint(int field, long v) { tag(field, 0); raw(v); return this; }

        Msg string(int field, String s) { return rawBytes(field, s.getBytes(StandardCharsets.UTF_8)); }

        Msg message(int field, byte[] m) { return rawBytes(field, m); }

        Msg rawBytes(int field, byte[] b) { tag(field, 2); raw(b.length); out.writeBytes(b); return this; }

        private void tag(int field, int wire) { raw(((long) field << 3) | wire); }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) { out.write((int) ((v & 0x7F) | 0x80)); v >>>= 7; }
            out.write((int) v);
        }

        byte[] bytes() { return out.toByteArray(); }
    }
}
