package dev.quant4j.onnx;

import com.google.protobuf.ByteString;
import dev.quant4j.core.DataType;
import dev.quant4j.graph.SparseTensor;
import dev.quant4j.graph.Tensor;
import dev.quant4j.onnx.proto.OnnxProto.SparseTensorProto;
import dev.quant4j.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.quant4j.onnx.proto.OnnxProto.TensorProto;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TensorProto to {@link Tensor}. Data comes from exactly one place: {@code raw_data} (viewed in
 * place, not copied, when the model file is mapped), the typed field the specification assigns
 * to the element type, or an external file. Every size is checked against the shape first.
 */
final class TensorDecoder {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ExternalDataFiles external;

    TensorDecoder(ExternalDataFiles external) {
        this.external = external;
    }

    /** The ONNX element type of a code, or a problem naming {@code what}. */
    static DataType dataType(int code, String what) {
        try {
            return DataType.fromOnnx(code);
        } catch (IllegalArgumentException e) {
            String known = code >= 0 && code < TensorProto.DataType.values().length
                    ? " (" + TensorProto.DataType.forNumber(code) + ")" : "";
            throw new FormatProblem(what + ": unsupported element type " + code + known);
        }
    }

    Tensor decode(TensorProto t, String what) {
        String label = what + (t.getName().isEmpty() ? "" : " '" + t.getName() + "'");
        DataType dtype = dataType(t.getDataType(), label);
        long[] shape = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.getDims(i);
            if (shape[i] < 0) throw new FormatProblem(label + ": negative dimension in " + t.getDimsList());
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw new FormatProblem(label + ": element count of shape " + t.getDimsList() + " overflows");
            }
        }
        if (t.hasSegment()) throw new FormatProblem(label + ": segmented tensors are not supported");
        if (dtype == DataType.STRING) return strings(t, label, shape, count);
        long bytes = dtype.byteSize(count);
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return Tensor.wrap(dtype, externalBytes(t, label, bytes), shape);
        }
        if (t.hasRawData()) {
            ByteString raw = t.getRawData();
            if (raw.size() != bytes) {
                throw new FormatProblem(label + ": raw_data has " + raw.size() + " bytes, " + dtype + Arrays.toString(shape) + " needs " + bytes);
            }
            return Tensor.wrap(dtype, segmentOf(raw), shape);
        }
        return Tensor.wrap(dtype, typedData(t, dtype, count, bytes, label), shape);
    }

    SparseTensor decodeSparse(SparseTensorProto s, String what) {
        Tensor values = decode(s.getValues(), what + " values");
        Tensor indices = decode(s.getIndices(), what + " indices");
        long[] dims = s.getDimsList().stream().mapToLong(Long::longValue).toArray();
        for (long d : dims) if (d < 0) throw new FormatProblem(what + ": negative dimension in " + s.getDimsList());
        if (values.rank() != 1) throw new FormatProblem(what + ": sparse values must be 1-D, are " + Arrays.toString(values.shape()));
        if (indices.dtype() != DataType.INT64) throw new FormatProblem(what + ": sparse indices must be INT64, are " + indices.dtype());
        return new SparseTensor(values, indices, dims);
    }

    /** A view of a ByteString: aliases the mapped model file when the parser aliased it. */
    private static MemorySegment segmentOf(ByteString raw) {
        if (raw.isEmpty()) return MemorySegment.ofArray(new byte[0]);
        var bb = raw.asReadOnlyByteBuffer();
        if (bb.isDirect()) return MemorySegment.ofBuffer(bb);
        return MemorySegment.ofArray(raw.toByteArray());
    }

    private MemorySegment externalBytes(TensorProto t, String label, long bytes) {
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), "offset", label);
                case "length" -> length = parseLong(e.getValue(), "length", label);
                default -> { } // "checksum" and future keys: nothing to enforce
            }
        }
        if (external == null) throw new FormatProblem(label + ": external data is not available here");
        if (length >= 0 && length != bytes) {
            throw new FormatProblem(label + ": external data length " + length + " does not match " + bytes + " bytes of its type and shape");
        }
        MemorySegment s = external.slice(location, offset, length < 0 ? bytes : length, label);
        if (s.byteSize() != bytes) throw new FormatProblem(label + ": external data has " + s.byteSize() + " bytes, needs " + bytes);
        return s;
    }

    private static long parseLong(String v, String key, String label) {
        try {
            long x = Long.parseLong(v.trim());
            if (x < 0) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw new FormatProblem(label + ": external data " + key + " '" + v + "' is not a non-negative integer");
        }
    }

    private static Tensor strings(TensorProto t, String label, long[] shape, long count) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) throw new FormatProblem(label + ": STRING tensors cannot have external data");
        if (t.getStringDataCount() != count) throw new FormatProblem(label + ": has " + t.getStringDataCount() + " strings, shape needs " + count);
        List<byte[]> s = new ArrayList<>(t.getStringDataCount());
        for (ByteString b : t.getStringDataList()) s.add(b.toByteArray());
        return Tensor.ofStringBytes(s, shape);
    }

    /** Element bytes from the typed repeated field that the specification pairs with {@code dtype}. */
    private static MemorySegment typedData(TensorProto t, DataType dtype, long count, long bytes, String label) {
        int present = (t.getFloatDataCount() > 0 ? 1 : 0) + (t.getInt32DataCount() > 0 ? 1 : 0) + (t.getInt64DataCount() > 0 ? 1 : 0)
                + (t.getDoubleDataCount() > 0 ? 1 : 0) + (t.getUint64DataCount() > 0 ? 1 : 0);
        if (present == 0) {
            if (count == 0) return MemorySegment.ofArray(new byte[0]);
            throw new FormatProblem(label + ": has no data (no raw_data, typed data or external data) for " + count + " elements");
        }
        if (present > 1) throw new FormatProblem(label + ": data in more than one typed field");
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(bytes)]);
        switch (dtype) {
            case FLOAT32 -> {
                need(t.getFloatDataCount(), count, "float_data", label);
                for (int i = 0; i < count; i++) out.setAtIndex(F32, i, t.getFloatData(i));
            }
            case FLOAT64 -> {
                need(t.getDoubleDataCount(), count, "double_data", label);
                for (int i = 0; i < count; i++) out.setAtIndex(F64, i, t.getDoubleData(i));
            }
            case INT64 -> {
                need(t.getInt64DataCount(), count, "int64_data", label);
                for (int i = 0; i < count; i++) out.setAtIndex(I64, i, t.getInt64Data(i));
            }
            case UINT32, UINT64 -> {
                need(t.getUint64DataCount(), count, "uint64_data", label);
                int w = dtype.bits() / 8;
                for (int i = 0; i < count; i++) putLittleEndian(out, (long) i * w, w, t.getUint64Data(i));
            }
            case INT4, UINT4 -> {
                // Packed: each int32 holds one byte of two nibbles, low nibble first.
                need(t.getInt32DataCount(), bytes, "int32_data", label);
                for (int i = 0; i < bytes; i++) out.set(ValueLayout.JAVA_BYTE, i, (byte) t.getInt32Data(i));
            }
            case INT32, INT16, UINT16, INT8, UINT8, BOOL, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> {
                // Narrow types travel one element per int32 (float16 and bfloat16 as their bit patterns).
                need(t.getInt32DataCount(), count, "int32_data", label);
                int w = dtype.bits() / 8;
                for (int i = 0; i < count; i++) putLittleEndian(out, (long) i * w, w, t.getInt32Data(i));
            }
            default -> throw new FormatProblem(label + ": no typed data field for " + dtype);
        }
        return out;
    }

    private static void need(int have, long want, String field, String label) {
        if (have != want) throw new FormatProblem(label + ": " + field + " has " + have + " values, shape needs " + want);
    }

    private static void putLittleEndian(MemorySegment out, long at, int width, long v) {
        for (int b = 0; b < width; b++) out.set(ValueLayout.JAVA_BYTE, at + b, (byte) (v >>> (8 * b)));
    }
}
