package dev.quant4j.llm.bench;

import dev.quant4j.llm.llamacpp.LlamaCpp;
import dev.quant4j.llm.llamacpp.SyntheticVocab;
import dev.quant4j.llm.gguf.GgufFile;
import dev.quant4j.llm.model.Forward;
import dev.quant4j.llm.model.LlamaConfig;
import dev.quant4j.llm.model.ModelFile;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quantize.GgufExport;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Decode speed of llama.cpp (the native reference) next to quant4j on the same GGUF file: a random
 * ~1.1B-parameter Llama written once per type, then, per round, llama.cpp and quant4j each decode
 * the same number of tokens on the same number of threads, alternating, so that both see the same
 * machine state. Reports median ms per token (wall), the ratio quant4j / llama.cpp, and for each
 * the bandwidth achieved (weight bytes streamed per token × tokens/s) as a fraction of the read
 * bandwidth {@link Bandwidth} measures before and after, on the same threads (the larger).
 * <pre>LlamaCppSpeed DIR TYPES(F32,Q8_0,Q4_0,...) THREADS(1,2) TOKENS ROUNDS</pre>
 * Not a test: a measurement on the test class path (java-llama.cpp is a test dependency).
 */
public final class LlamaCppSpeed {
    private LlamaCppSpeed() {}

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        List<GgmlType> types = Arrays.stream(a[1].split(",")).map(GgmlType::byName).toList();
        int[] threads = Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int tokens = Integer.parseInt(a[3]), rounds = Integer.parseInt(a[4]);
        LlamaConfig c = RandomLlama.oneBillion(256);
        Files.createDirectories(dir);
        Path vocab = dir.resolve("vocab-32000.gguf");
        if (!Files.exists(vocab)) SyntheticVocab.write(vocab, c.vocabSize());
        System.out.printf("| type | threads | GB/token | read GB/s | llama.cpp ms/token | quant4j ms/token | quant4j / llama.cpp time | llama.cpp vs its F32 | quant4j vs its F32 "
                + "| llama.cpp bandwidth | quant4j bandwidth |%n|---|---|---|---|---|---|---|---|---|---|---|%n");
        double[][] f32 = new double[threads.length][];
        for (GgmlType type : types) {
            Path file = dir.resolve("random-1.1B-" + type + ".gguf");
            if (!Files.exists(file)) {
                try (Arena arena = Arena.ofConfined(); GgufFile v = GgufFile.open(vocab)) {
                    GgufExport.write(RandomLlama.build(c, type, 1, arena), file, "random-1.1B", type, v);
                }
            }
            for (int ti = 0; ti < threads.length; ti++) {
                int t = threads[ti];
                double[] llama = new double[rounds], ours = new double[rounds];
                String prompt = SyntheticVocab.text(new int[] {300, 301, 302, 303});
                double bw = Bandwidth.measure(1L << 29, t, 3);
                double gb;
                try (LlamaCpp lc = LlamaCpp.generator(file, t); ModelFile mf = ModelFile.open(file)) {
                    gb = (mf.model().weightBytes() - mf.model().matrix("token_embd.weight").byteSize()) / 1e9; // the embedding is read one row a token
                    lc.greedy(prompt, 4, List.of()); // warm-up: page in the weights
                    decode(new Forward(mf.model(), t), 4);
                    for (int r = 0; r < rounds; r++) {
                        long t0 = System.nanoTime();
                        lc.greedy(prompt, 1, List.of());
                        long t1 = System.nanoTime();
                        lc.greedy(prompt, 1 + tokens, List.of());
                        long t2 = System.nanoTime();
                        llama[r] = ((t2 - t1) - (t1 - t0)) / 1e6 / tokens;
                        Forward f = new Forward(mf.model(), t);
                        long t3 = System.nanoTime();
                        decode(f, tokens);
                        ours[r] = (System.nanoTime() - t3) / 1e6 / tokens;
                    }
                }
                // the larger of two measurements, before and after: a disturbed sample (llama.cpp's OpenMP
                // threads spinning on, a neighbour's burst) only ever lowers it, and a low one would flatter both
                bw = Math.max(bw, Bandwidth.measure(1L << 29, t, 3));
                double ml = median(llama), mo = median(ours);
                if (type == GgmlType.F32) f32[ti] = new double[] {ml, mo};
                System.out.printf("| %s | %d | %.2f | %.1f | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | %.2f× | %s | %s | %.0f%% | %.0f%% |%n", type, t, gb, bw / 1e9,
                        ml, min(llama), max(llama), mo, min(ours), max(ours), mo / ml,
                        f32[ti] == null ? "-" : String.format("%.2f×", f32[ti][0] / ml), f32[ti] == null ? "-" : String.format("%.2f×", f32[ti][1] / mo),
                        100 * gb / (ml / 1e3) / (bw / 1e9), 100 * gb / (mo / 1e3) / (bw / 1e9));
            }
        }
        System.exit(0); // java-llama.cpp leaves a non-daemon thread running
    }

    private static void decode(Forward f, int n) {
        int tok = 300;
        for (int pos = 0; pos < n; pos++) {
            float[] logits = f.forward(tok, pos);
            tok = 259 + Math.floorMod(Float.floatToIntBits(logits[pos]), 1000); // data-dependent, any ordinary token
        }
    }

    private static double median(double[] v) { double[] s = v.clone(); Arrays.sort(s); return s[s.length / 2]; }
    private static double min(double[] v) { return Arrays.stream(v).min().orElse(0); }
    private static double max(double[] v) { return Arrays.stream(v).max().orElse(0); }
}
