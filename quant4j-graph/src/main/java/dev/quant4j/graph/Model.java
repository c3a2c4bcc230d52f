package dev.quant4j.graph;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model: the main graph plus what the file says about it (IR version, operator set imports,
 * producer, metadata, local functions).
 *
 * <p>A model read from disk may view its weights in memory-mapped files; it owns those mappings
 * (registered with {@link #addResource}) and releases them on {@link #close()}, after which its
 * tensors must not be used. {@link #sourceFiles()} lists the files it reads from, so that a
 * writer can refuse to overwrite them.
 */
public final class Model implements AutoCloseable {
    private final Graph graph;
    private long irVersion = 8;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private String producerName = "";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ModelFunction> functions = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Set<Path> sourceFiles = new LinkedHashSet<>();

    public Model(Graph graph) { this.graph = graph; }

    public Graph graph() { return graph; }

    public long irVersion() { return irVersion; }

    public void setIrVersion(long v) { irVersion = v; }

    /** Operator set versions by domain ("" is the default ONNX domain); live and mutable. */
    public Map<String, Long> opsets() { return opsets; }

    /** The default-domain opset version, or -1 when the model imports none. */
    public long onnxOpset() {
        Long v = opsets.get("");
        if (v == null) v = opsets.get("ai.onnx");
        return v == null ? -1 : v;
    }

    public String producerName() { return producerName; }

    public void setProducerName(String s) { producerName = s == null ? "" : s; }

    public String producerVersion() { return producerVersion; }

    public void setProducerVersion(String s) { producerVersion = s == null ? "" : s; }

    public String domain() { return domain; }

    public void setDomain(String s) { domain = s == null ? "" : s; }

    public long modelVersion() { return modelVersion; }

    public void setModelVersion(long v) { modelVersion = v; }

    public String docString() { return docString; }

    public void setDocString(String s) { docString = s; }

    /** Metadata properties (key/value); live and mutable. */
    public Map<String, String> metadata() { return metadata; }

    /** Model-local functions; live and mutable. */
    public List<ModelFunction> functions() { return functions; }

    /** Files the model's tensors are read from (the model file and its external data files). */
    public Set<Path> sourceFiles() { return sourceFiles; }

    /** Hands a resource (an Arena of mapped files, typically) to the model, to be closed with it. */
    public void addResource(AutoCloseable r) { resources.add(r); }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException("closing model resource", e);
            }
        }
        resources.clear();
        if (first != null) throw first;
    }
}
