package dev.quant4j.llm.model;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model opened from a file, by extension: {@code .gguf} (llama.* keys), a folder holding a
 * Hugging Face {@code config.json} and {@code *.safetensors}, or a llama2.c checkpoint (anything else). The weights view the mapped file, so the model is valid until {@link #close()}.
 */
public final class ModelFile implements AutoCloseable {
    private final LlamaModel model;
    private final GgufFile gguf;
    private final AutoCloseable source;

    private ModelFile(LlamaModel model, GgufFile gguf, AutoCloseable source) {
        this.model = model;
        this.gguf = gguf;
        this.source = source;
    }

    public static ModelFile open(Path file) throws IOException {
        if (java.nio.file.Files.isDirectory(file)) return openHf(file);
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            GgufFile g = GgufFile.open(file);
            try {
                return new ModelFile(LlamaGguf.load(g), g, g);
            } catch (RuntimeException e) {
                g.close();
                throw e;
            }
        }
        Llama2cCheckpoint ck = Llama2cCheckpoint.open(file);
        return new ModelFile(LlamaModel.fromLlama2c(ck), null, ck);
    }

    /** A Hugging Face folder: config.json and one or more *.safetensors shards. */
    private static ModelFile openHf(Path dir) throws IOException {
        java.util.List<Path> shards;
        try (var s = java.nio.file.Files.list(dir)) {
            shards = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        if (shards.isEmpty()) throw new IOException(dir + ": no .safetensors files in this folder");
        var cfg = dev.quant4j.llm.safetensors.HfLlamaConfig.read(dir.resolve("config.json"));
        java.util.List<dev.quant4j.llm.safetensors.SafetensorsFile> files = new java.util.ArrayList<>();
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        AutoCloseable closeAll = () -> {
            for (var f : files) f.close();
            arena.close();
        };
        try {
            for (Path p : shards) files.add(dev.quant4j.llm.safetensors.SafetensorsFile.open(p));
            return new ModelFile(LlamaSafetensors.load(files, cfg, arena), null, closeAll);
        } catch (RuntimeException e) {
            try { closeAll.close(); } catch (Exception ignored) { /* the first error is the one to report */ }
            throw e;
        }
    }

    public LlamaModel model() { return model; }

    /** The GGUF file the model came from (for its tokenizer metadata), or null. */
    public GgufFile gguf() { return gguf; }

    @Override public void close() {
        try {
            source.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + source + ": " + e.getMessage(), e);
        }
    }
}
