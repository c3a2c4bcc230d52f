package dev.quant4j.tune;

import dev.quant4j.graph.Model;
import dev.quant4j.onnx.OnnxWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Copies and sizes of models: passes try changes on copies and leave the float model as it was. */
public final class Models {
    private Models() {}

    /**
     * A structural copy of {@code m} (new nodes and collections, shared tensors) with the same
     * opsets, metadata and header fields. The copy views the source's weights, so the source must
     * stay open while the copy is used.
     */
    public static Model copy(Model m) {
        Model c = new Model(m.graph().copy());
        c.setIrVersion(m.irVersion());
        c.opsets().putAll(m.opsets());
        c.setProducerName(m.producerName());
        c.setProducerVersion(m.producerVersion());
        c.setDomain(m.domain());
        c.setModelVersion(m.modelVersion());
        c.setDocString(m.docString());
        c.metadata().putAll(m.metadata());
        c.functions().addAll(m.functions());
        return c;
    }

    /** The model serialized as an ONNX file (weights inline). */
    public static byte[] toBytes(Model m) throws IOException {
        return OnnxWriter.toBytes(m);
    }

    /** Bytes of the serialized model: the size on disk, measured rather than estimated. */
    public static long serializedBytes(Model m) {
        try {
            return toBytes(m).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bytes of the tensors the model's nodes read (initializers and Constant values): the weight
     * storage a precision change moves, without the protobuf framing. Counting it needs no
     * serialization, so a sensitivity pass can afford it for every layer.
     */
    public static long weightBytes(Model m) {
        var g = m.graph();
        java.util.Set<String> read = new java.util.HashSet<>();
        long bytes = 0;
        for (var n : g.nodes()) {
            read.addAll(n.inputs());
            if (n.opType().equals("Constant") && n.attributes().has("value")) bytes += n.attributes().getTensor("value").byteSize();
        }
        for (var e : g.initializers().entrySet()) if (read.contains(e.getKey())) bytes += e.getValue().byteSize();
        return bytes;
    }
}
