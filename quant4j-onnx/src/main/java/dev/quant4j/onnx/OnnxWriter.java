package dev.quant4j.onnx;

import com.google.protobuf.CodedOutputStream;
import dev.quant4j.core.io.AtomicFiles;
import dev.quant4j.graph.Model;
import dev.quant4j.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a {@link Model} as an ONNX file, with its initializers embedded or in one side file
 * ({@link WriteOptions}). Both files are written to temporary files in the target folder and
 * moved into place, so a reader never sees a half-written model. The writer refuses to write
 * over any file the model was read from (its tensors may be mapped from it).
 */
public final class OnnxWriter {
    private static final long CHUNK = 1 << 26;

    private OnnxWriter() {}

    public static void write(Model model, Path target) throws IOException {
        write(model, target, WriteOptions.EMBEDDED);
    }

    public static void write(Model model, Path target, WriteOptions options) throws IOException {
        Path out = target.toAbsolutePath().normalize();
        Path dir = out.getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new ModelFormatException(out, "the target folder does not exist");
        String dataName = options.externalFileName() != null ? options.externalFileName() : out.getFileName() + ".data";
        Path dataFile = dir.resolve(dataName);
        refuseSource(model, out, out);
        if (options.usesExternalData()) refuseSource(model, dataFile, out);

        TensorEncoder tensors = new TensorEncoder(options, dataName);
        ModelProto proto;
        try {
            proto = new ModelEncoder(tensors).model(model);
        } catch (FormatProblem p) {
            throw new ModelFormatException(out, p.getMessage());
        }
        Path dataTmp = null;
        Path modelTmp = AtomicFiles.sibling(out);
        try {
            if (!tensors.placed().isEmpty()) {
                dataTmp = AtomicFiles.sibling(dataFile);
                writeExternal(tensors, dataTmp);
            }
            try (OutputStream os = Files.newOutputStream(modelTmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                CodedOutputStream cos = CodedOutputStream.newInstance(os, 1 << 16);
                proto.writeTo(cos);
                cos.flush();
            }
            // The side file goes first: a model in place always finds its data.
            if (dataTmp != null) AtomicFiles.moveIntoPlace(dataTmp, dataFile);
            AtomicFiles.moveIntoPlace(modelTmp, out);
        } finally {
            Files.deleteIfExists(modelTmp);
            if (dataTmp != null) Files.deleteIfExists(dataTmp);
        }
    }

    private static void refuseSource(Model model, Path file, Path target) throws IOException {
        if (!Files.exists(file)) return;
        for (Path src : model.sourceFiles()) {
            if (Files.exists(src) && Files.isSameFile(src, file)) {
                throw new ModelFormatException(target, "refusing to overwrite " + file + ": the model was read from it (its tensors may still be mapped from that file); write elsewhere");
            }
        }
    }

    private static void writeExternal(TensorEncoder tensors, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (TensorEncoder.Placed p : tensors.placed()) {
                MemorySegment s = p.tensor().data();
                long pos = p.offset();
                for (long at = 0; at < s.byteSize(); at += CHUNK) {
                    ByteBuffer bb = s.asSlice(at, Math.min(CHUNK, s.byteSize() - at)).asByteBuffer();
                    while (bb.hasRemaining()) pos += ch.write(bb, pos);
                }
            }
            if (ch.size() < tensors.externalSize()) ch.truncate(tensors.externalSize());
            ch.force(false);
        }
    }


    /** The serialized bytes of a model with every tensor embedded (for tests and in-memory use). */
    public static byte[] toBytes(Model model) throws IOException {
        try {
            return new ModelEncoder(new TensorEncoder(WriteOptions.EMBEDDED, "")).model(model).toByteArray();
        } catch (FormatProblem p) {
            throw new IOException(p.getMessage());
        }
    }

}
