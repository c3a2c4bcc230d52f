package dev.quant4j.llm.model;

import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model opened from a file, by extension: {@code .gguf} (llama.* keys) or a llama2.c checkpoint
 * (anything else). The weights view the mapped file, so the model is valid until {@link #close()}.
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
