package dev.quant4j.llm.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;
import de.kherud.llama.args.LogFormat;
import de.kherud.llama.args.PoolingType;
import java.nio.file.Path;

/**
 * llama.cpp itself (java-llama.cpp's JNI build of llama.cpp b4916, natives shipped in the jar), as
 * the oracle for the GGUF files quant4j writes. One thread, fp32 KV cache (llama.cpp's default f16
 * cache would round keys and values that quant4j keeps in fp32).
 *
 * <p>java-llama.cpp 4.2.0 aborts the JVM when asked for token probabilities ({@code n_probs}), so
 * the comparison uses what it returns safely: token ids, greedy continuations, and the final
 * hidden state (the embedding of the last token, pooling LAST: llama.cpp's output of the final
 * RMSNorm, L2-normalized).
 */
public final class LlamaCpp implements AutoCloseable {
    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {});
    }

    private final LlamaModel model;

    private LlamaCpp(Path gguf, boolean embeddings, int threads) {
        ModelParameters p = new ModelParameters().setModel(gguf.toString()).setThreads(threads).setThreadsBatch(threads).setCtxSize(256)
                .setCacheTypeK(CacheType.F32).setCacheTypeV(CacheType.F32).skipWarmup();
        if (embeddings) p.enableEmbedding().setPoolingType(PoolingType.LAST);
        model = new LlamaModel(p);
    }

    /** A context for greedy generation. */
    public static LlamaCpp generator(Path gguf) { return new LlamaCpp(gguf, false, 1); }

    /** A context for generation on {@code threads} threads. */
    public static LlamaCpp generator(Path gguf, int threads) { return new LlamaCpp(gguf, false, threads); }

    /** A context that returns the last token's final hidden state. */
    public static LlamaCpp embedder(Path gguf) { return new LlamaCpp(gguf, true, 1); }

    /** llama.cpp's token ids for {@code text}, without BOS. */
    public int[] tokenize(String text) { return model.encode(text); }

    /** The final hidden state (after the output norm) at the prompt's last token, unit length. */
    public float[] lastHidden(String prompt) { return model.embed(prompt); }

    /**
     * {@code n} tokens of greedy continuation (temperature 0, EOS ignored), as text; {@code banned}
     * ids are never chosen (control and byte tokens do not come back from text one to one).
     */
    public String greedy(String prompt, int n, java.util.Collection<Integer> banned) {
        StringBuilder sb = new StringBuilder();
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(n).setTemperature(0f).setIgnoreEos(true).setSeed(1)
                .setCachePrompt(false).disableTokenIds(banned);
        for (LlamaOutput o : model.generate(p)) sb.append(o.text);
        return sb.toString();
    }

    @Override public void close() { model.close(); }
}
