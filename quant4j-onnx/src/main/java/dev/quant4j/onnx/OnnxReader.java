package dev.quant4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.GraphValidator;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads an ONNX model file into a {@link Model}.
 *
 * <p>The file is memory-mapped and parsed with aliasing, so {@code raw_data} of initializers is
 * viewed in the mapping rather than copied onto the heap; external data files (resolved relative
 * to the model's folder) are mapped the same way. All mappings live in one shared arena owned by
 * the returned model: close the model to release them.
 *
 * <p>Every problem with the file comes out as a {@link ModelFormatException} naming the file and
 * the node, tensor or value concerned.
 */
public final class OnnxReader {
    /** protobuf's hard limit: a message, and so a model file without external data, is below 2 GB. */
    static final long MAX_PROTO_BYTES = Integer.MAX_VALUE;

    private OnnxReader() {}

    public static Model read(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        Arena arena = Arena.ofShared();
        try {
            Model model = decode(path, arena);
            return model;
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Model decode(Path path, Arena arena) throws IOException {
        ModelProto proto = parse(path, arena);
        if (!proto.hasGraph()) throw new ModelFormatException(path, "the model has no graph (is this an ONNX model file?)");
        ExternalDataFiles external = new ExternalDataFiles(realParent(path), arena);
        ModelDecoder decoder = new ModelDecoder(new TensorDecoder(external));
        Graph graph;
        Model model;
        try {
            graph = decoder.graph(proto.getGraph(), "");
            model = new Model(graph);
            decoder.decodeInto(proto, model);
        } catch (FormatProblem p) {
            throw new ModelFormatException(path, p.getMessage(), p.getCause());
        } catch (RuntimeException e) {
            // Anything else is a malformed file that slipped past the explicit checks; name it as such.
            throw new ModelFormatException(path, "malformed model: " + e, e);
        }
        if (model.opsets().isEmpty() && model.irVersion() >= 3) {
            throw new ModelFormatException(path, "the model imports no operator set (truncated file?)");
        }
        List<String> problems = GraphValidator.problems(graph);
        if (!problems.isEmpty()) {
            throw new ModelFormatException(path, problems.getFirst() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        model.addResource(arena);
        model.sourceFiles().add(path.toRealPath());
        model.sourceFiles().addAll(external.usedFiles());
        return model;
    }

    /**
     * Reads a serialized TensorProto file ({@code input_0.pb} of the ONNX backend tests) into a
     * heap tensor. External data is resolved relative to the file's folder.
     */
    public static dev.quant4j.graph.Tensor readTensor(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        long size = Files.size(path);
        if (size > MAX_PROTO_BYTES) throw new ModelFormatException(path, "a TensorProto file must be under 2 GB, this one is " + size + " bytes");
        byte[] bytes = Files.readAllBytes(path);
        try (Arena arena = Arena.ofConfined()) {
            var proto = dev.quant4j.onnx.proto.OnnxProto.TensorProto.parseFrom(bytes);
            dev.quant4j.graph.Tensor t = new TensorDecoder(new ExternalDataFiles(realParent(path), arena)).decode(proto, "tensor");
            // Copy out of the arena (external data) so the tensor outlives this call.
            return t.dtype() == dev.quant4j.core.DataType.STRING ? t : dev.quant4j.graph.Tensor.ofBytes(t.dtype(), t.bytes(), t.shape());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(path, "not a valid TensorProto (malformed or truncated): " + e.getMessage());
        } catch (FormatProblem p) {
            throw new ModelFormatException(path, p.getMessage(), p.getCause());
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "malformed tensor: " + e, e);
        }
    }

    private static Path realParent(Path path) throws IOException {
        Path parent = path.getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent.toRealPath();
    }

    /** Parses the protobuf from a read-only mapping of the file, aliasing bytes fields into it. */
    static ModelProto parse(Path path, Arena arena) throws IOException {
        if (Files.isDirectory(path)) throw new ModelFormatException(path, "is a folder, not a model file");
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) throw new ModelFormatException(path, "the file is empty");
            if (size > MAX_PROTO_BYTES) {
                throw new ModelFormatException(path, "the file is " + size + " bytes; a protobuf model must be under 2 GB (larger models keep their weights in external data files)");
            }
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(path, "no such file");
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot read: " + e.getMessage(), e);
        }
        try {
            // Through a ByteString so that protobuf knows the buffer is immutable: only then does it alias.
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(seg.asByteBuffer()).newCodedInput();
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            ModelProto m = ModelProto.parseFrom(in);
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(path, "not a valid ONNX protobuf (malformed or truncated): " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "not a valid ONNX protobuf: " + e, e);
        }
    }
}
