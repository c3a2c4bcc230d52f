package dev.quant4j.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.quant4j.core.DataType;
import dev.quant4j.graph.SparseTensor;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.proto.OnnxProto.SparseTensorProto;
import dev.quant4j.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorProto;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Tensor} to TensorProto. Numeric data always goes to {@code raw_data} (or to the external
 * file), wrapped rather than copied where the memory allows; strings go to {@code string_data}.
 */
final class TensorEncoder {
    /** A tensor placed in the external data file at {@code offset}. */
    record Placed(Tensor tensor, long offset) {}

    private final WriteOptions options;
    private final String externalName;
    private final List<Placed> placed = new ArrayList<>();
    private long externalSize;
    private long embeddedBytes;

    TensorEncoder(WriteOptions options, String externalName) {
        this.options = options;
        this.externalName = externalName;
    }

    List<Placed> placed() { return placed; }

    long externalSize() { return externalSize; }

    long embeddedBytes() { return embeddedBytes; }

    /** An initializer: goes to the external file when it is at least the threshold. */
    TensorProto initializer(String name, Tensor t) {
        if (t.dtype() != DataType.STRING && t.byteSize() >= options.externalThreshold()) return external(name, t);
        return embedded(name, t);
    }

    TensorProto embedded(String name, Tensor t) {
        TensorProto.Builder b = header(name, t);
        if (t.dtype() == DataType.STRING) {
            for (byte[] s : t.stringBytes()) b.addStringData(ByteString.copyFrom(s));
        } else {
            embeddedBytes += t.byteSize();
            if (embeddedBytes >= OnnxReader.MAX_PROTO_BYTES) {
                throw new FormatProblem("tensor '" + name + "': the embedded tensors pass 2 GB, protobuf's limit; write with external data (WriteOptions.external)");
            }
            b.setRawData(bytes(t.data()));
        }
        return b.build();
    }

    private TensorProto external(String name, Tensor t) {
        long align = options.alignment();
        long offset = (externalSize + align - 1) / align * align;
        placed.add(new Placed(t, offset));
        externalSize = offset + t.byteSize();
        return header(name, t)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", externalName))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(t.byteSize())))
                .build();
    }

    SparseTensorProto sparse(String name, SparseTensor s) {
        SparseTensorProto.Builder b = SparseTensorProto.newBuilder()
                .setValues(embedded(name, s.values()))
                .setIndices(embedded("", s.indices()));
        for (long d : s.denseShape()) b.addDims(d);
        return b.build();
    }

    private static TensorProto.Builder header(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.dtype().onnxCode());
        if (name != null && !name.isEmpty()) b.setName(name);
        for (long d : t.shape()) b.addDims(d);
        return b;
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** The segment's bytes as a ByteString without copying where it can be viewed as a ByteBuffer. */
    private static ByteString bytes(MemorySegment s) {
        try {
            return UnsafeByteOperations.unsafeWrap(s.asByteBuffer());
        } catch (UnsupportedOperationException e) {
            return ByteString.copyFrom(s.toArray(ValueLayout.JAVA_BYTE)); // heap segment over a non-byte array
        }
    }
}
